/**
 * @module api/instant
 * A point in time on the wire: an ISO 8601 date-time with an offset, in years 1 to 9999 (what both
 * database engines store; year 0000 and six-digit years are refused at the edge, naming the field).
 */
import { z } from 'zod';

export const instantSchema = z.iso.datetime({ offset: true }).refine((value) => {
  const year = new Date(value).getUTCFullYear();
  return year >= 1 && year <= 9999;
}, 'a date between years 1 and 9999');
