/**
 * Goes to the pay page, in this tab or a new one (`target`). Returns true when this page is
 * being left, so the button stays busy; `back` runs when the shopper comes back to it through
 * the back/forward cache (the page as it was left, button still busy).
 */
export function goToPay(payUrl: string, target: '_self' | '_blank', back: () => void): boolean {
  if (target === '_blank') {
    const tab = open(payUrl, '_blank');
    if (tab) {
      tab.opener = null;
      return false;
    }
    // A blocked pop-up must not strand the shopper: go in this tab instead.
  }
  location.assign(payUrl);
  // A page still loading fires its own first pageshow after this click: that one must not
  // free the button, only a return from the back/forward cache (`persisted`).
  addEventListener('pageshow', (event) => event.persisted && back());
  return true;
}
