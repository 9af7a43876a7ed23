import { createRoot } from 'react-dom/client';
import { getLocale } from '../i18n';
import { CustomerApp } from './CustomerApp';
import { CustomerCall, inviteTokenFromPath } from './customer-call';
import { bindStaticConsent } from './static-consent';
import '../ui/base.css';
import './customer.css';

document.documentElement.lang = getLocale();
const token = inviteTokenFromPath(location.pathname);
const call = token ? new CustomerCall(token) : null;
// Diagnostics and end-to-end tests read the call from here (state the page shows anyway).
(window as unknown as { __customerCall?: CustomerCall | null }).__customerCall = call;
void call?.init();
// The server showed the consent step as plain HTML before this script ran: bind it, and React draws the steps after it.
const staticConsent = bindStaticConsent(call);
createRoot(document.getElementById('root')!).render(<CustomerApp call={call} staticConsent={staticConsent} />);
