// Where `gantry catalog render` writes as it goes: stdout, one file (renamed into place when complete) or one
// file per package under --output-dir; JSON or YAML. Blobs are gathered into writes of about 1 MiB.
import { once } from 'node:events';
import type { BlobSink } from '../catalog/fbc/write-stream.js';
import { packageFilePath } from '../catalog/fbc/write.js';
import { yamlDocument } from '../catalog/encoding/go-yaml.js';
import { openStagedFile, openStagedTree } from '../files/staged-writes.js';

export interface RenderSink extends BlobSink {
  /** Everything was written: flush, and put files in place. */
  finish(): Promise<void>;
  /** Something failed: leave no partial file or directory behind. */
  abort(): Promise<void>;
}

export interface RenderTarget {
  format: 'json' | 'yaml';
  outputDir?: string;
  replace?: boolean;
  outputFile?: string;
  stdout: NodeJS.WritableStream;
}

const BATCH = 1 << 20;

async function writeStdout(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export async function openRenderSink(target: RenderTarget): Promise<RenderSink> {
  const encode = target.format === 'yaml' ? yamlDocument : (blob: string) => blob;
  let pending: string[] = [];
  let size = 0;
  const batched = (write: (text: string) => Promise<void>) => {
    const flush = async () => {
      if (size === 0) return;
      const text = pending.join('');
      pending = [];
      size = 0;
      await write(text);
    };
    const blob = async (json: string) => {
      const text = encode(json);
      if (text.length >= BATCH) {
        // A big blob goes out as it is: joining it to the batch would only copy it once more.
        await flush();
        await write(text);
        return;
      }
      pending.push(text);
      size += text.length;
      if (size >= BATCH) await flush();
    };
    return { flush, blob };
  };
  if (target.outputDir) {
    const tree = await openStagedTree(target.outputDir, { replace: Boolean(target.replace) });
    const { flush, blob } = batched((text) => tree.write(text));
    return {
      group: async (pkg) => {
        await flush();
        await tree.file(packageFilePath(pkg, target.format));
      },
      blob,
      finish: async () => {
        await flush();
        await tree.commit();
      },
      abort: () => tree.abort(),
    };
  }
  if (target.outputFile) {
    const file = await openStagedFile(target.outputFile);
    const { flush, blob } = batched((text) => file.write(text));
    return {
      group: () => undefined,
      blob,
      finish: async () => {
        await flush();
        await file.commit();
      },
      abort: () => file.abort(),
    };
  }
  const { flush, blob } = batched((text) => writeStdout(target.stdout, text));
  return { group: () => undefined, blob, finish: flush, abort: async () => undefined };
}
