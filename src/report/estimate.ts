import type { Ledger } from '../ledger/ledger.js';
import type { RequestOf } from './request.js';
import type { Report } from './render.js';
export async function estimate(_l: Ledger, _o: RequestOf<'estimate'>): Promise<Report> { throw new Error('todo'); }
