// The -o/--output flag, checked by the parser before any work starts: an unknown format is a usage error (exit 2)
// in every command, never a silent fallback after minutes of loading.
import { InvalidArgumentError, Option } from 'commander';

export function outputOption(formats: readonly string[], fallback: string): Option {
  return new Option('-o, --output <format>', formats.join(', ')).choices(formats).default(fallback);
}

/** A flag whose value must be one of `values`, matched without regard to case and given back as spelled here. */
export function oneOf(flag: string, values: readonly string[]): (value: string) => string {
  return (value: string) => {
    const found = values.find((v) => v.toLowerCase() === value.toLowerCase());
    if (!found) throw new InvalidArgumentError(`${flag} must be one of ${values.join(', ')}`);
    return found;
  };
}
