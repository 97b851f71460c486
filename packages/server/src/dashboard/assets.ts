/**
 * The dashboard's two files. They are served from `/admin/ui/assets/` (the CSP allows no inline
 * script or style), kept here as text so the Node and Workers entries serve them alike.
 */

/** Progressive enhancement only: every page works without it. */
export const DASHBOARD_SCRIPT = `// ScanForPay dashboard: refunds answered in place, the webhook backlog kept current.
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (const form of document.querySelectorAll('form[data-refund-form]')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    const out = document.querySelector('[data-refund-outcome]');
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    const body = new URLSearchParams(new FormData(form));
    for (let attempt = 0; attempt < 10; attempt++) {
      let answer;
      try {
        const response = await fetch(form.action, {
          method: 'POST',
          body,
          credentials: 'same-origin',
          headers: { accept: 'application/json' },
        });
        if (!(response.headers.get('content-type') || '').includes('json')) {
          // Signed out, a stale form, or the proxy failed: say so and stop; nothing is retried.
          const key = response.status === 401 ? 'sessionText' : response.status === 403 ? 'staleText' : 'errorText';
          answer = { outcome: 'failed', message: form.dataset[key] };
        } else {
          answer = await response.json();
        }
      } catch {
        answer = { outcome: 'pending', message: form.dataset.pendingText };
      }
      out.textContent = answer.message;
      out.dataset.outcome = answer.outcome;
      if (answer.outcome !== 'pending') {
        form.removeAttribute('aria-busy');
        const status = document.querySelector('[data-order-status]');
        if (status && answer.status) {
          status.textContent = answer.statusLabel;
          status.dataset.status = answer.status;
        }
        const refunded = document.querySelector('[data-order-refunded]');
        if (refunded && answer.refunded) refunded.textContent = answer.refunded;
        if (answer.outcome === 'succeeded') form.hidden = true;
        else button.disabled = false;
        return;
      }
      await wait(3000);
    }
    out.textContent = form.dataset.pendingText;
    form.removeAttribute('aria-busy');
    button.disabled = false;
  });
}

const poll = document.querySelector('[data-poll]');
if (poll) {
  const refresh = async () => {
    if (document.hidden) return;
    try {
      const response = await fetch(poll.dataset.poll, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (!response.ok) return;
      const state = await response.json();
      for (const name of ['waiting', 'oldest', 'givenUp']) {
        const field = poll.querySelector('[data-field="' + name + '"]');
        if (field && field.textContent !== String(state[name])) field.textContent = String(state[name]);
      }
    } catch {
      // Offline for a moment: the next tick tries again.
    }
  };
  setInterval(refresh, 1500);
}
`;

export const DASHBOARD_STYLES = `:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --card: #ffffff; --text: #1a1a1a; --muted: #4d4d4d; --line: #d0d4da;
  --link: #0b57d0; --accent: #0b57d0; --accent-text: #ffffff; --danger: #b3261e;
  --ok-bg: #e6f4ea; --ok-text: #0d5223; --err-bg: #fce8e6; --err-text: #8c1d18;
  --focus: #c26401;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #121417; --card: #1c1f24; --text: #e8eaed; --muted: #c1c5cc; --line: #3c4043;
    --link: #8ab4f8; --accent: #8ab4f8; --accent-text: #0b1a33; --danger: #f28b82;
    --ok-bg: #0f2e1a; --ok-text: #a8dab5; --err-bg: #3b1412; --err-text: #f6aea9;
    --focus: #fdd663;
  }
}
* { box-sizing: border-box; }
html { font-size: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", "PingFang HK", "Noto Sans HK", sans-serif;
}
a { color: var(--link); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; }
.skip:focus { left: .5rem; z-index: 10; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap;
}
.top {
  display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center;
  padding: .75rem 1rem; background: var(--card); border-bottom: 1px solid var(--line);
}
.top nav { display: flex; gap: 1rem; }
.top a[aria-current] { font-weight: 700; text-decoration-thickness: 3px; }
.brand { font-weight: 700; margin-right: auto; }
main { padding: 1rem; max-width: 72rem; margin: 0 auto; }
main:focus { outline: none; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
h3 { font-size: 1rem; margin: 1rem 0 .5rem; }
.card {
  background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 1rem; margin: 0 0 1rem;
}
.narrow { max-width: 28rem; }
label { display: block; font-weight: 600; margin: .5rem 0 .25rem; }
input, select, button { font: inherit; }
input, select {
  width: 100%; min-width: 0; max-width: 100%; padding: .5rem; border: 1px solid var(--muted); border-radius: 6px;
  background: var(--card); color: var(--text); min-height: 2.75rem;
}
button {
  min-height: 2.75rem; padding: .5rem 1rem; border: 0; border-radius: 6px; cursor: pointer;
  background: var(--accent); color: var(--accent-text); font-weight: 600; margin-top: .75rem;
}
button.secondary { background: transparent; color: var(--link); border: 1px solid var(--link); }
button.danger { background: var(--danger); color: var(--accent-text); }
button.small { min-height: 2.25rem; padding: .25rem .75rem; margin: 0; }
button.link {
  background: none; color: var(--link); text-decoration: underline; padding: 0; margin: 0;
  min-height: auto; font-weight: 400;
}
button:disabled { opacity: .6; cursor: progress; }
.inline { display: inline; }
.hint { color: var(--muted); font-size: .9rem; margin: .25rem 0; }
.filters { display: grid; gap: 0 1rem; grid-template-columns: repeat(4, minmax(0, 1fr)); }
.filters .wide { grid-column: span 1; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; }
.filters .actions { grid-column: 1 / -1; }
@media (max-width: 48rem) {
  .filters { grid-template-columns: minmax(0, 1fr); }
  .top { padding: .5rem .75rem; }
  main { padding: .75rem; }
}
.notice { padding: .75rem 1rem; border-radius: 6px; margin: 0 0 1rem; }
.notice.ok { background: var(--ok-bg); color: var(--ok-text); }
.notice.error { background: var(--err-bg); color: var(--err-text); }
.scroll { overflow-x: auto; max-width: 100%; position: relative; }
table { border-collapse: collapse; width: 100%; background: var(--card); }
th, td { text-align: left; padding: .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.status {
  display: inline-block; padding: 0 .5rem; border: 1px solid currentColor; border-radius: 999px;
  font-size: .9rem; white-space: nowrap;
}
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: .5rem 1rem; margin: 0; }
.facts dt { color: var(--muted); font-size: .9rem; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.history { margin: 0; padding-left: 1.25rem; }
.history li { margin: .25rem 0; }
.history time { color: var(--muted); margin-left: .5rem; }
.pager { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; margin: 1rem 0; }
.empty { color: var(--muted); }
h2, h3, p, td, dd, code { overflow-wrap: anywhere; }
[data-refund-outcome]:empty { display: none; }
[data-refund-outcome] { margin-top: 1rem; font-weight: 600; }
`;
