/**
 * Which hosts are this machine: the server binds loopback only without access control, and accepts an
 * http:// identity provider only there.
 */
import { isIP } from 'node:net';

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}
