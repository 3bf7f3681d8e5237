import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { forgetOnRoleChange } from './forget-on-role-change';
import '../styles/base.css';
import '../styles/layout.css';
import '../styles/forms.css';
import '../styles/screens.css';
import '../styles/print.css';
import '../styles/access.css';

forgetOnRoleChange();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
