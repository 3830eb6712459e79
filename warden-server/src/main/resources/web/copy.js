// Adds a copy button beside each install command (.install code). Without JavaScript the command
// stays as text to select; the button exists only where it can work.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  if (!navigator.clipboard) {
    return;
  }
  for (const code of document.querySelectorAll('.install code')) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy the command ' + code.textContent);
    const status = document.createElement('span');
    status.className = 'copy-status';
    status.setAttribute('role', 'status');
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(code.textContent);
        status.textContent = 'Copied';
      } catch (e) {
        status.textContent = 'Could not copy: select the command instead';
      }
    });
    code.after(button, status);
  }
});
