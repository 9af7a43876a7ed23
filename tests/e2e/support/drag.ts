import type { Page } from '@playwright/test';

/**
 * A mouse drag across an element (a video, an annotation layer), in fractions of its box.
 * `steps`: pointer moves on the way (each is a round trip to a busy renderer; a straight arrow needs one).
 */
export async function dragOn(page: Page, testId: string, from: [number, number], to: [number, number], steps = 6): Promise<void> {
  const b = (await page.getByTestId(testId).boundingBox())!;
  await page.mouse.move(b.x + from[0] * b.width, b.y + from[1] * b.height);
  await page.mouse.down();
  await page.mouse.move(b.x + to[0] * b.width, b.y + to[1] * b.height, { steps });
  await page.mouse.up();
}
