import { createRoot } from 'react-dom/client';
import { call as invoke } from '../bridge/workstation';
import { getLocale, setLocale } from '../i18n';
import { AgentCall } from '../agent/agent-call';
import { guestsOf, type AgentGuests } from '../agent/guests/agent-guests';
import { readPolicyOverride } from '../call/ice-policy';
import { App } from './App';
import { openCase } from '../cases/store';
import '../ui/base.css';
import './app.css';
import { t as tApp } from './messages';
import { SignInScreen } from '../auth/SignInScreen';
import { approvalFeed } from '../approvals/feed';
import { installDevicePolicy } from '../devices/device-policy';

async function boot() {
  const root = createRoot(document.getElementById('root')!);
  // Back from the provider (web host): the outcome is in auth:status; keep the address bar clean.
  if (location.search.includes('signin=')) history.replaceState(history.state, '', location.pathname + location.hash);
  const auth = await invoke('auth:status', {});
  if (!auth.ok) {
    root.render(<BootError message={`${auth.error.code}: ${auth.error.message}`} />);
    return;
  }
  if (!auth.value.user) {
    root.render(<SignInScreen status={auth.value} />);
    return;
  }
  const cfg = await invoke('app:getSessionConfig', {});
  if (!cfg.ok) {
    root.render(<BootError message={`${cfg.error.code}: ${cfg.error.message}`} />);
    return;
  }
  if (cfg.value.locale === 'ja' || cfg.value.locale === 'en') setLocale(cfg.value.locale);
  // AllowedCameras / AllowedMicrophones: before anything opens a device (policy is read once, at start, in main).
  const eff = await invoke('settings:getEffective', {});
  if (eff.ok) {
    const list = (k: string) => { const v = eff.value.settings.find((s) => s.key === k)?.value; return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []; };
    if (navigator.mediaDevices) installDevicePolicy(navigator.mediaDevices, { cameras: list('devices.allowedCameras'), microphones: list('devices.allowedMicrophones') });
  }
  document.documentElement.lang = getLocale();
  const call = new AgentCall(cfg.value, {
    iceTransportPolicy: readPolicyOverride(),
    // each reconnect gets a current token (main refreshes the signed-in user's access token)
    freshToken: async () => { const r = await invoke('app:getSessionConfig', {}); return r.ok ? r.value.agentToken : null; },
  });
  call.onExtraFrame((m) => approvalFeed.emit(m));
  // each welcome (a reconnect included): a waiting credit asks main whether it was decided meanwhile
  call.onServer('welcome', () => approvalFeed.back());
  // Diagnostics and end-to-end tests read the call from here (state the page shows anyway).
  (window as unknown as { __agentCall?: AgentCall }).__agentCall = call;
  (window as unknown as { __agentGuests?: AgentGuests }).__agentGuests = guestsOf(call);
  // ... and open a case in the cases panel (what a click in its search does)
  (window as unknown as { __cases?: { openCase: typeof openCase } }).__cases = { openCase };
  root.render(<App call={call} auth={auth.value} />);
  await call.start();
}

function BootError({ message }: { message: string }) {
  // The host is not answering: the catalog is bundled, so this is still localised.
  return <main className="ws-boot-error" data-testid="boot-error"><h1>{tApp('boot_unavailable')}</h1><p>{message}</p></main>;
}

void boot();
