import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { customerPagePlugin } from './scripts/vite-customer-page';

// Four pages from one renderer tree: the agent workstation, the customer page, the technician guest's page
// and the supervisor's reporting page (the last three served by the signaling server). They share peer, i18n and annotation code.
export default defineConfig({
  root: resolve(import.meta.dirname, 'src-renderer'),
  base: '/',
  plugins: [
    react(),
    // The customer page: its consent step as plain HTML, its CSS inline, its code evaluated after the first paint.
    ...customerPagePlugin(),
  ],
  // simple-peer's logger, never enabled in either page, replaced by a no-op (src-renderer/peer/quiet-debug.ts).
  resolve: { alias: [{ find: /^debug$/, replacement: resolve(import.meta.dirname, 'src-renderer/call/peer/quiet-debug.ts') }] },
  build: {
    outDir: resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      input: {
        workstation: resolve(import.meta.dirname, 'src-renderer/app/index.html'),
        customer: resolve(import.meta.dirname, 'src-renderer/customer/index.html'),
        // the technician guest's page (served for technician invites): kept out of the customer page's bundle
        technician: resolve(import.meta.dirname, 'src-renderer/technician/index.html'),
        supervisor: resolve(import.meta.dirname, 'src-renderer/supervisor/index.html'),
      },
    },
  },
});
