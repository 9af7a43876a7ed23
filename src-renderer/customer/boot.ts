/**
 * The customer's page proper, evaluated once the server's consent step has been painted
 * (main.ts): the call (status check and socket while the customer reads), the binding of
 * the plain-HTML consent step, and the page drawn in plain DOM (view/app.ts).
 */
import { getLocale } from '../i18n';
import { CustomerCall, inviteTokenFromPath } from './customer-call';
import { bindStaticConsent } from './static-consent';
import { mountCustomerPage } from './view/app';

document.documentElement.lang = getLocale();
const token = inviteTokenFromPath(location.pathname);
const call = token ? new CustomerCall(token) : null;
// Diagnostics and end-to-end tests read the call from here (state the page shows anyway).
(window as unknown as { __customerCall?: CustomerCall | null }).__customerCall = call;
void call?.init();
// The server showed the consent step as plain HTML before this script ran: bind it, and draw the steps after it.
const staticConsent = bindStaticConsent(call);
mountCustomerPage(document.getElementById('root')!, call, staticConsent);
