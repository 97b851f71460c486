import { ORDER_ID_SHAPE } from '../../domain/order-id.js';
import { UsageError } from './cli-errors.js';

/** The `<orderId>` argument, checked before anything is sent. */
export function orderIdArgument(value: string | undefined): string {
  if (value === undefined) throw new UsageError('missing <orderId>');
  if (!ORDER_ID_SHAPE.test(value)) throw new UsageError(`"${value}" is not an order id`);
  return value;
}
