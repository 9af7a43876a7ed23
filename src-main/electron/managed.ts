/**
 * Managed-desktop glue that needs Electron: the proxy policy applied to the
 * app session (Chromium's system settings, PAC or a fixed proxy), main's own
 * proxy lookups through session.resolveProxy, the organisation's root CAs
 * accepted for chains Chromium refused, and the update service over
 * electron-updater. The decisions live in plain modules (network/, update/).
 */
import { app, type Session } from 'electron';
import { autoUpdater } from 'electron-updater';
import type { Logger } from '../log';
import { electronProxyConfig, type ProxyResolver } from '../network/proxy';
import { chainVerifies } from '../network/trust';
import type { EffectivePolicy } from '../policy/resolve';
import { installKind, realProbes } from '../update/install-kind';
import { planUpdates } from '../update/plan';
import { readOrCreateInstallId } from '../update/rollout';
import { createUpdateService, type UpdaterLike, type UpdateService } from '../update/service';

export async function applyNetworkPolicy(ses: Session, eff: EffectivePolicy, orgCas: readonly string[], log: Logger): Promise<ProxyResolver> {
  const cfg = electronProxyConfig({ mode: eff.get('network.proxyMode'), server: eff.get('network.proxyServer'), pacUrl: eff.get('network.proxyPacUrl'), bypass: eff.get('network.proxyBypass') });
  await ses.setProxy(cfg);
  log.info('proxy policy applied', { mode: cfg.mode });
  if (orgCas.length) {
    ses.setCertificateVerifyProc((req, callback) => {
      // -3: use Chromium's own verdict. 0: accept a chain Chromium refused because it ends at an organisation CA.
      if (req.errorCode === 0) return callback(-3);
      const chain: string[] = [];
      for (let c: Electron.Certificate | undefined = req.certificate; c && chain.length < 8; c = c.issuerCert) chain.push(c.data);
      const ok = chainVerifies(chain, req.hostname, orgCas);
      if (ok) log.info('certificate accepted by an organisation CA', { host: req.hostname });
      callback(ok ? 0 : -3);
    });
  }
  return (url) => ses.resolveProxy(url);
}

export function createElectronUpdateService(eff: EffectivePolicy, log: Logger): UpdateService {
  readOrCreateInstallId(app.getPath('userData'));
  const kind = app.isPackaged ? installKind(realProbes()) : { perMachine: false, isAdmin: true };
  const plan = planUpdates({ mode: eff.get('update.mode'), feedUrl: eff.get('update.feedUrl'), ...kind });
  log.info('update plan', { mode: plan.mode, installBy: plan.installBy, corporateFeed: plan.feedUrl !== null });
  // autoUpdater is touched only here, inside the factory, which a disabled plan never calls.
  return createUpdateService(plan, () => {
    autoUpdater.logger = { info: (m: unknown) => log.info(String(m)), warn: (m: unknown) => log.warn(String(m)), error: (m: unknown) => log.error(String(m)), debug: () => {} };
    return autoUpdater as unknown as UpdaterLike;
  }, { log });
}
