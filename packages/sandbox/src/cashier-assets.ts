/**
 * Static assets of the cashier, served as files (no inline script or style) so the pages work
 * under a strict Content-Security-Policy.
 */

/** Runs the countdown and submits the return form. */
export const CASHIER_JS = `(function () {
  'use strict';
  var clock = document.querySelector('time[data-remaining]');
  if (clock) {
    var end = Date.now() + Number(clock.getAttribute('data-remaining')) * 1000;
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    var timer;
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var h = Math.floor(left / 3600);
      var text = pad(Math.floor((left % 3600) / 60)) + ':' + pad(left % 60);
      clock.textContent = h > 0 ? h + ':' + text : text;
      if (left === 0) {
        clock.textContent = clock.getAttribute('data-expired-label');
        var pay = document.querySelector('[data-action="pay"]');
        if (pay) pay.disabled = true;
        clearInterval(timer);
      }
    };
    tick();
    timer = setInterval(tick, 1000);
  }
  var back = document.querySelector('form[data-auto-submit]');
  if (back) setTimeout(function () { back.submit(); }, 300);
})();
`;

/** Mobile-first styles. */
export const CASHIER_CSS = `*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI","PingFang HK","Microsoft JhengHei",sans-serif;background:#eef2f6;color:#1d2733}
.card{max-width:28rem;margin:0 auto;padding:1rem 1.25rem 2rem;background:#fff;min-height:100vh}
@media (min-width:40rem){.card{margin:2rem auto;min-height:0;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08)}}
header{display:flex;align-items:center;gap:.5rem}
.brand{font-weight:700;font-size:1.25rem;color:#0a66c2}
.badge{font-size:.7rem;font-weight:700;letter-spacing:.05em;padding:.1rem .4rem;border-radius:4px;background:#fff3cd;color:#7a5b00}
.lang{margin-left:auto;color:#0a66c2}
.note{color:#5b6875;font-size:.9rem}
.summary{margin:1rem 0;display:grid;gap:.25rem}
.summary div{display:flex;justify-content:space-between;gap:1rem;border-bottom:1px solid #eef0f2;padding:.35rem 0}
dt{color:#5b6875}dd{margin:0;text-align:right;word-break:break-all;font-weight:500}
dd[data-field="amount"]{font-size:1.25rem;font-weight:700}
.qr{margin:1rem auto;text-align:center;max-width:14rem}
.open-app{margin:1rem 0;padding:.75rem 1rem;border-radius:.5rem;background:#eef4ff;color:#0b1f44}
.qr svg{width:100%;height:auto;display:block}
figcaption{color:#5b6875;font-size:.85rem}
.countdown{text-align:center}
time{font-variant-numeric:tabular-nums;font-weight:700}
.actions{display:grid;gap:.5rem}
.actions form,form{margin:0}
button{width:100%;min-height:2.75rem;font:inherit;border-radius:8px;border:1px solid #c5ced8;background:#fff;color:#1d2733;cursor:pointer}
button.primary{background:#0a66c2;border-color:#0a66c2;color:#fff;font-weight:600}
button:disabled{opacity:.5;cursor:not-allowed}
button:focus-visible,a:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.outcome{font-size:1.25rem;font-weight:700;text-align:center;margin:1.5rem 0}
.outcome-paid{color:#1e7b34}.outcome-failed,.outcome-expired,.outcome-cancelled{color:#b3261e}
`;
