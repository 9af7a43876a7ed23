/// <reference types="vite/client" />
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allCatalogs } from '../../../src-renderer/i18n/index';

// Load every capability's catalog (each calls defineMessages on import).
import.meta.glob('../../../src-renderer/**/messages.ts', { eager: true });

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]/;

describe('UI strings exist in English and Japanese', () => {
  const catalogs = [...allCatalogs()];

  it('loads the catalog of every capability', () => {
    expect(catalogs.length).toBeGreaterThanOrEqual(4);
  });

  for (const [ns, { en, ja }] of catalogs) {
    it(`${ns}: same keys, no empty string, same placeholders, Japanese actually Japanese`, () => {
      expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
      const notJapanese: string[] = [];
      for (const key of Object.keys(en)) {
        expect(en[key]!.trim(), `${ns}.${key} (en)`).not.toBe('');
        expect(ja[key]!.trim(), `${ns}.${key} (ja)`).not.toBe('');
        expect(placeholders(ja[key]!), `${ns}.${key} placeholders`).toEqual(placeholders(en[key]!));
        if (!JAPANESE.test(ja[key]!) && /[A-Za-z]{3,}/.test(en[key]!)) notJapanese.push(key);
      }
      // Brand names, codecs and units may stay in Latin script; whole sentences may not.
      const sentences = notJapanese.filter((k) => /\s\S+\s/.test(en[k]!));
      expect(sentences, `${ns}: Japanese strings left in English`).toEqual([]);
    });
  }
});

describe('no user-facing text bypasses i18n in components', () => {
  const root = join(import.meta.dirname, '../../../src-renderer');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.tsx')) files.push(p);
    }
  };
  walk(root);
  // Plain-DOM views (the customer's page): files drawing with ui/dom.ts.
  const domViews: string[] = [];
  const walkTs = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walkTs(p);
      else if (p.endsWith('.ts') && /from '(\.\.?\/)+(ui\/)?dom'/.test(readFileSync(p, 'utf8'))) domViews.push(p);
    }
  };
  walkTs(root);

  it('finds the components', () => expect(files.length).toBeGreaterThan(5));

  it('has no literal words in plain-DOM views (text set or made with a string literal)', () => {
    expect(domViews.length).toBeGreaterThan(5);
    const offenders: string[] = [];
    // a quoted literal holding a word (Latin or Japanese)
    const WORDS = /(['"])([^'"]*[A-Za-z\u3040-\u30ff\u4e00-\u9fff]{2,}[^'"]*)\1/.source;
    const patterns = [new RegExp(/setText\([^,]+,\s*/.source + WORDS, 'g'), new RegExp(/\bh\('\w+',\s*(?:null|\{[^}]*\}),\s*/.source + WORDS, 'g')];
    for (const f of domViews) {
      const src = readFileSync(f, 'utf8');
      for (const re of patterns) {
        for (const m of src.matchAll(re)) offenders.push(`${relative(root, f)}:${src.slice(0, m.index).split('\n').length}: ${m[2]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('has no literal words between JSX tags', () => {
    const offenders: string[] = [];
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      // Text directly between a closing '>' and the next '<' or '{' that holds a word of letters.
      for (const m of src.matchAll(/(?<![=\-])>\s*([^<>{}()=;&|?:`'"\n]*[A-Za-z\u3040-\u30ff\u4e00-\u9fff]{2,}[^<>{}\n]*)</g)) {
        const text = m[1]!.trim();
        if (!text || /^[\w.]+\s*(=>|\()/.test(text)) continue;
        const line = src.slice(0, m.index).split('\n').length;
        offenders.push(`${relative(root, f)}:${line}: ${text}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
