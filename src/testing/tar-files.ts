// A tar stream of named files for test layers (bundle images, catalog images), built with tar-stream in memory.
import { pack } from 'tar-stream';

export async function tarOf(files: Record<string, string | Buffer>): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((r) => p.on('end', () => r()));
  for (const [name, content] of Object.entries(files)) p.entry({ name }, content);
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}
