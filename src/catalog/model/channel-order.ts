// The order channels are listed in everywhere: version order where the names carry numbers
// (`stable-3.6` before `stable-3.10`), byte order otherwise, so listings read as a person expects.
import { byteOrder } from '../fbc/file-tree.js';

const RUNS = /\d+|\D+/g;

/** Compares digit runs by value and other runs by bytes; equal-valued names (`v01`, `v1`) fall back to bytes. */
export function compareChannelNames(a: string, b: string): number {
  if (a === b) return 0;
  const ra = a.match(RUNS) ?? [];
  const rb = b.match(RUNS) ?? [];
  let pa = 0;
  let pb = 0;
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i]!;
    const y = rb[i]!;
    const xd = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const yd = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    if (xd && yd) {
      // Compare by value without Number(), so runs longer than 2^53 still order correctly.
      const xs = x.replace(/^0+(?=\d)/, '');
      const ys = y.replace(/^0+(?=\d)/, '');
      if (xs.length !== ys.length) return xs.length - ys.length;
      if (xs !== ys) return xs < ys ? -1 : 1;
    } else if (x !== y) {
      // The rest as bytes: where one run is a prefix of the other, the next character decides, as in byte order.
      return byteOrder(a.slice(pa), b.slice(pb));
    }
    pa += x.length;
    pb += y.length;
  }
  if (ra.length !== rb.length) return ra.length - rb.length;
  return byteOrder(a, b);
}

/** A sorted copy of channel names in listing order. */
export function sortChannelNames(names: Iterable<string>): string[] {
  return [...names].sort(compareChannelNames);
}
