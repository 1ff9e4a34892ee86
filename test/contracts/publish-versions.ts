import type { Functions } from '../../services/core/ports.ts';

/** Publishes `images[1..]` as versions 2, 3, … through the port (update, wait, publish). */
export async function publishAll(functions: Functions, name: string, images: readonly string[]) {
  for (const image of images.slice(1)) {
    const { revisionId } = await functions.getFunction(name);
    await functions.updateCode(name, image, revisionId);
    const ready = await functions.waitUntilUpdated(name, 60);
    await functions.publishVersion(name, ready.codeSha256, ready.revisionId);
  }
}
