/** The base of the elements' events: they bubble and cross shadow roots. */
export class ScanForPayEvent<T> extends CustomEvent<T> {
  constructor(type: string, detail: T, cancelable = false) {
    super(type, { bubbles: true, composed: true, cancelable, detail });
  }
}
