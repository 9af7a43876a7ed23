/**
 * UpdateMode against a real local update feed, through the real
 * electron-updater (DebUpdater, generic provider). Electron cannot run here,
 * so two parts are swapped, and only these: the app adapter (version, data
 * folders) is a plain object instead of Electron's `app`, and the HTTP
 * executor is a Node one instead of Electron's `net` (electron-updater's own
 * HttpExecutor base class, the same requests). Everything else — reading
 * latest-linux.yml, the staging decision, the download and its sha512 check —
 * is electron-updater's code.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestOptions } from 'node:http';
import { configureRequestOptions, configureRequestUrl, HttpExecutor, type DownloadOptions } from 'builder-util-runtime';
import { DebUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planUpdates, type UpdateContext } from '../../../src-main/update/plan';
import { inRollout, readOrCreateInstallId, rolloutBucket } from '../../../src-main/update/rollout';
import { createUpdateService, type UpdaterLike } from '../../../src-main/update/service';
import { startFeedServer, type FeedServer } from './feed-server';

/** ElectronHttpExecutor's download(), over Node's http instead of Electron's net (same base-class doDownload). */
class NodeHttpExecutor extends HttpExecutor<http.ClientRequest> {
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers || undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(requestOptions, { destination, options, onCancel, callback: (error) => (error == null ? resolve(destination) : reject(error)), responseHandler: null }, 0);
    });
  }

  createRequest(options: RequestOptions, callback: (response: unknown) => void): http.ClientRequest {
    return http.request(options as http.RequestOptions, callback);
  }
}

const silent = { info() {}, warn() {}, error() {}, debug() {} };

function makeUpdater(dir: string, feedUrl: string): DebUpdater & UpdaterLike {
  writeFileSync(join(dir, 'app-update.yml'), `provider: generic\nurl: ${feedUrl}\nupdaterCacheDirName: visual-assist-updater\n`);
  const app: AppAdapter = {
    version: '0.1.0', name: 'Visual Assist Workstation', isPackaged: true,
    appUpdateConfigPath: join(dir, 'app-update.yml'), userDataPath: join(dir, 'userData'), baseCachePath: join(dir, 'cache'),
    whenReady: () => Promise.resolve(), relaunch() {}, quit() {}, onQuit() {},
  };
  const u = new DebUpdater(null, app);
  (u as unknown as { httpExecutor: HttpExecutor<http.ClientRequest> }).httpExecutor = new NodeHttpExecutor();
  u.logger = silent;
  u.disableDifferentialDownload = true;
  return u as DebUpdater & UpdaterLike;
}

let feed: FeedServer;
let dir: string;
let created: number;
beforeEach(async () => {
  feed = await startFeedServer();
  dir = mkdtempSync(join(tmpdir(), 'update-'));
  created = 0;
});
afterEach(async () => { await feed.close(); });

const ctx = (mode: UpdateContext['mode'], extra: Partial<UpdateContext> = {}): UpdateContext => ({ mode, feedUrl: feed.url, perMachine: false, isAdmin: false, ...extra });
const service = (c: UpdateContext) => createUpdateService(planUpdates(c), () => { created++; return makeUpdater(dir, feed.url); });
const ymlRequests = () => feed.requests.filter((r) => r.path.endsWith('.yml'));
const debRequests = () => feed.requests.filter((r) => r.path.endsWith('.deb'));

describe('UpdateMode against a local feed', () => {
  it('none: the feed server sees zero requests, at start or when the user asks', async () => {
    const s = service(ctx('none'));
    await s.start();
    expect(await s.check()).toEqual({ state: 'disabled' });
    expect(s.status()).toEqual({ state: 'disabled' });
    expect(feed.requests).toEqual([]);
    expect(created).toBe(0);
  });

  it('default: checks at start with the installation id and downloads the update (sha512 checked)', async () => {
    const id = readOrCreateInstallId(join(dir, 'userData'));
    const s = service(ctx('default'));
    await s.start();
    s.close();
    expect(s.status()).toEqual({ state: 'downloaded', version: '0.2.0' });
    expect(ymlRequests().length).toBe(1);
    expect(ymlRequests()[0]!.headers['x-user-staging-id']).toBe(id);
    expect(debRequests().length).toBe(1);
    expect(readdirSync(join(dir, 'cache', 'visual-assist-updater', 'pending'))).toContain('visual-assist-workstation_0.2.0_amd64.deb');
  });

  it('UpdateFeedUrl: the corporate feed is asked and the feed built into the app never is', async () => {
    const vendor = await startFeedServer();
    try {
      // app-update.yml (built into the app) names the vendor's feed; policy names the local corporate one.
      const s = createUpdateService(planUpdates(ctx('manual', { feedUrl: feed.url })), () => makeUpdater(dir, vendor.url));
      expect(await s.check()).toMatchObject({ state: 'available', version: '0.2.0' });
      expect(ymlRequests().length).toBe(1);
      expect(vendor.requests).toEqual([]);
      // Without the policy the built-in feed is the one asked.
      const builtIn = createUpdateService(planUpdates(ctx('manual', { feedUrl: '' })), () => makeUpdater(mkdtempSync(join(tmpdir(), 'update-vendor-')), vendor.url));
      expect(await builtIn.check()).toMatchObject({ state: 'available' });
      expect(vendor.requests.filter((r) => r.path.endsWith('.yml')).length).toBe(1);
      expect(ymlRequests().length).toBe(1);
    } finally { await vendor.close(); }
  });

  it('manual: nothing at start; one check when the user asks, and no download', async () => {
    const s = service(ctx('manual'));
    await s.start();
    expect(feed.requests).toEqual([]);
    expect(await s.check()).toMatchObject({ state: 'available', version: '0.2.0', installBy: 'app' });
    expect(ymlRequests().length).toBe(1);
    expect(debRequests()).toEqual([]);
  });

  it('per-machine install as a standard user: says IT installs it, downloads and installs nothing', async () => {
    const s = service(ctx('default', { perMachine: true, isAdmin: false }));
    await s.start();
    s.close();
    expect(s.status()).toMatchObject({ state: 'available', installBy: 'it' });
    expect(debRequests()).toEqual([]);
    expect(s.install()).toMatchObject({ state: 'available' });
  });

  it('staged rollout: the bucket is stable and the feed\'s stagingPercentage is honoured at its edge', async () => {
    const id = readOrCreateInstallId(join(dir, 'userData'));
    expect(readOrCreateInstallId(join(dir, 'userData'))).toBe(id);
    const b = rolloutBucket(id);
    // At stagingPercentage = bucket the installation is just outside; one more and it is in.
    feed.setStagingPercentage(b);
    const outside = service(ctx('manual'));
    expect(await outside.check()).toMatchObject({ state: 'up_to_date' });
    feed.setStagingPercentage(b + 1);
    const inside = service(ctx('manual'));
    expect(await inside.check()).toMatchObject({ state: 'available', version: '0.2.0' });
    // Every request carried the same id.
    expect(new Set(ymlRequests().map((r) => r.headers['x-user-staging-id']))).toEqual(new Set([id]));
  });

  it('our bucket decision equals electron-updater\'s isStagingMatch for many installations', async () => {
    for (let i = 0; i < 24; i++) {
      const d = mkdtempSync(join(tmpdir(), 'update-id-'));
      const id = readOrCreateInstallId(join(d, 'userData'));
      const u = makeUpdater(d, feed.url) as unknown as { isStagingMatch(info: { stagingPercentage?: unknown }): Promise<boolean> };
      for (const pct of [0, 1, rolloutBucket(id), rolloutBucket(id) + 1, 50, 99, 100, '12.5']) {
        expect(await u.isStagingMatch({ stagingPercentage: pct }), `${id} @ ${pct}`).toBe(inRollout(id, pct));
        if (typeof pct === 'number') expect(inRollout(id, pct)).toBe(rolloutBucket(id) < pct);
      }
    }
  });
});
