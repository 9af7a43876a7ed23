/**
 * A card statement painted for the redaction tests: a Visa number, an Amex
 * number in 4-6-5 grouping, a 13-digit reference (not a card: it fails Luhn)
 * and an amount.
 */
import sharp from 'sharp';

export const VISA = '4539 1488 0343 6467';
export const AMEX = '3714 496353 98431';
export const REFERENCE = '4829105736125';
export const AMOUNT = '1,284.56';
export const digits = (s: string) => s.replace(/\D/g, '');

export async function cardStatementPng(): Promise<Buffer> {
  const rows = [
    ['NORTHWIND BANK', 'Card statement, March 2026'],
    ['Card number', VISA],
    ['Second card (Amex)', AMEX],
    ['Reference', REFERENCE],
    ['Statement date', '12/03/2026 10:42:17'],
    ['Amount due', `$${AMOUNT}`],
  ];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="${140 + rows.length * 90}">
    <rect width="100%" height="100%" fill="white"/>
    ${rows.map(([l, v], i) => `<text x="80" y="${120 + i * 90}" font-family="DejaVu Sans" font-size="38" fill="#111">${l}</text><text x="700" y="${120 + i * 90}" font-family="DejaVu Sans Mono" font-size="40" fill="#111">${v}</text>`).join('\n')}
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
