import { createRoot } from 'react-dom/client';
import { getLocale } from '../i18n';
import { inviteTokenFromPath } from '../customer/invite-path';
import { TechnicianApp } from './TechnicianApp';
import { TechnicianCall } from './technician-call';
import '../ui/base.css';
import './technician.css';

document.documentElement.lang = getLocale();
const token = inviteTokenFromPath(location.pathname);
const call = token ? new TechnicianCall(token) : null;
// Diagnostics and end-to-end tests read the call from here (state the page shows anyway).
(window as unknown as { __technicianCall?: TechnicianCall | null }).__technicianCall = call;
void call?.init();
createRoot(document.getElementById('root')!).render(<TechnicianApp call={call} />);
