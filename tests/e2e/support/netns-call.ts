/**
 * A call whose customer runs in a network namespace (netns.ts): the call environment with its
 * signaling server on the veth's host end, the agent's Chromium on the host, and the customer's
 * Chromium inside the namespace, both with the fake camera. Browsers go into `browsers` for the
 * test's teardown.
 */
import { chromium, type Browser } from '@playwright/test';
import { makeFakeCamera } from '../../../scripts/make-fake-camera';
import { launchChromiumWithCamera } from './call-fixtures';
import { CHROMIUM_ARGS } from './chromium';
import { startCallEnv, type CallEnv } from './call-env';
import type { ImpairedNet } from './netns';

export async function startNetnsCall(net: ImpairedNet, browsers: Browser[]): Promise<{ env: CallEnv; agentBrowser: Browser; customerBrowser: Browser }> {
  const env = await startCallEnv({ signalingHost: net.hostAddr });
  const y4m = await makeFakeCamera();
  const agentBrowser = await launchChromiumWithCamera(y4m);
  browsers.push(agentBrowser);
  const customerBrowser = await chromium.launch({
    executablePath: net.chromiumWrapper,
    headless: true,
    // The page comes from http://<veth address>: a real deployment is https; here the flag makes it a secure context (camera).
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${y4m}`, `--unsafely-treat-insecure-origin-as-secure=${env.signalingUrl}`],
  });
  browsers.push(customerBrowser);
  return { env, agentBrowser, customerBrowser };
}
