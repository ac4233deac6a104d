import type { Ledger } from '../ledger/ledger.js';
import type { RequestOf } from './request.js';
import type { Report } from './render.js';
export async function savings(_l: Ledger, _o: RequestOf<'savings'>): Promise<Report> { throw new Error('todo'); }
