import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Caller numbers arrive in every shape (+81 3-1234-5678, 0312345678,
 * 14155552671, tel:...). Customers are keyed by E.164 so one person is one
 * row whatever the PBX sent. The default region decides how national numbers
 * (no country code) are read.
 */
export function toE164(raw: string, defaultRegion: string = 'US'): string | null {
  const cleaned = raw.trim().replace(/^tel:/i, '').replace(/^00/, '+');
  if (!cleaned || cleaned.length > 40) return null;
  const parsed = parsePhoneNumberFromString(cleaned, defaultRegion as CountryCode);
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}
