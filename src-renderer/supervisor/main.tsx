import { createRoot } from 'react-dom/client';
import { SupervisorApp } from './SupervisorApp';
import 'uplot/dist/uPlot.min.css';
import './supervisor.css';

createRoot(document.getElementById('root')!).render(<SupervisorApp />);
