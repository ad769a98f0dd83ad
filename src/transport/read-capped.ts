// Reading a response body that is only wanted for its message (error pages, token answers), up to a cap:
// a broken or hostile server must not make gantry hold gigabytes, or print them.
import { StringDecoder } from 'node:string_decoder';

export interface CappableBody extends AsyncIterable<Uint8Array | Buffer> {
  destroy(): void;
}

/** The body as UTF-8 text, at most `maxBytes` of it; the rest is not read (the connection is dropped). */
export async function readCapped(body: CappableBody, maxBytes: number): Promise<string> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  let seen = 0;
  for await (const chunk of body) {
    const room = maxBytes - seen;
    const part = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
    text += decoder.write(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
    seen += part.byteLength;
    if (seen >= maxBytes) {
      body.destroy();
      // A character cut by the cap is dropped (end() would add a replacement character for it).
      return text;
    }
  }
  return text + decoder.end();
}
