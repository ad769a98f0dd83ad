// The limit for the copy benchmark: a minimal streaming GET→PUT loop over undici at a given concurrency, with
// no existence checks, no verification, no retries. Usage: node raw-loop.js PLAN.json CONCURRENCY
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'undici';

interface Plan {
  source: string; // http://host:port
  dest: string;
  images: { sourceRepo: string; destRepo: string; tag: string; manifest: string; mediaType: string; blobs: { digest: string; size: number }[] }[];
}

const [planFile, concurrencyArg] = process.argv.slice(2);
const plan = JSON.parse(await readFile(planFile!, 'utf8')) as Plan;
const concurrency = Number(concurrencyArg ?? 12);
const agent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });

async function copyBlob(srcRepo: string, dstRepo: string, b: { digest: string; size: number }): Promise<void> {
  const get = await request(`${plan.source}/v2/${srcRepo}/blobs/${b.digest}`, { dispatcher: agent });
  const post = await request(`${plan.dest}/v2/${dstRepo}/blobs/uploads/`, { dispatcher: agent, method: 'POST' });
  await post.body.dump();
  const loc = new URL(String(post.headers.location), plan.dest);
  loc.searchParams.set('digest', b.digest);
  const put = await request(loc, { dispatcher: agent, method: 'PUT', body: get.body, headers: { 'content-length': String(b.size), 'content-type': 'application/octet-stream' } });
  await put.body.dump();
  if (put.statusCode !== 201) throw new Error(`PUT ${b.digest}: ${put.statusCode}`);
}

const work = plan.images.flatMap((img) => img.blobs.map((b) => () => copyBlob(img.sourceRepo, img.destRepo, b)));
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < work.length) await work[next++]!();
  }),
);
await Promise.all(
  plan.images.map(async (img) => {
    const res = await request(`${plan.dest}/v2/${img.destRepo}/manifests/${img.tag}`, {
      dispatcher: agent,
      method: 'PUT',
      body: Buffer.from(img.manifest, 'base64'),
      headers: { 'content-type': img.mediaType },
    });
    await res.body.dump();
  }),
);
await agent.close();
