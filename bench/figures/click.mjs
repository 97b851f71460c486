// Figure 5: click to redirect in headless Chromium (filled in below).
export async function measureClicks() {
  return { skipped: 'not implemented yet' };
}
