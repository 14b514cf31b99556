import { ConfigError, SwinError } from '@swin/core';

/**
 * A Hugging Face JSON file (config.json, preprocessor_config.json) as an object: its size checked
 * against `maxBytes` before it is decoded, then one-line errors naming `where` for a syntax error or
 * anything but an object.
 */
export function parseHuggingFaceJsonObject(file: string | Uint8Array, where: string, what: string, maxBytes: number): Record<string, unknown> {
  const size = typeof file === 'string' ? file.length : file.byteLength;
  if (size > maxBytes) throw new SwinError('LIMIT_EXCEEDED', `${where}: expected a ${what} of at most ${maxBytes} bytes, found ${size}`);
  let json: unknown;
  try {
    json = JSON.parse(typeof file === 'string' ? file : new TextDecoder().decode(file));
  } catch (e) {
    throw new ConfigError(`${where}: expected JSON, found a syntax error: ${(e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError(`${where}: expected a JSON object, found ${Array.isArray(json) ? 'an array' : JSON.stringify(json)}`);
  return json as Record<string, unknown>;
}
