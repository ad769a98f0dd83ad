// go-yaml v2's implicit typing (resolve.go, YAML 1.1 flavoured): which plain scalars read back as something
// other than a string, and how numbers from JSON text come out again (encode.go intv/uintv/floatv).

/*
 * resolve(): the first character picks a hint; only hinted scalars can be non-strings.
 *   'S' sign (+ -), 'D' digit, 'M' one of yYnNtTfFoO~ (looked up in the map only), '.' dot.
 * Note `<<` is in go-yaml's map but its first character has no hint, so it resolves as a string.
 */
const RESOLVE_MAP = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);

function hintOf(c: number): 'S' | 'D' | 'M' | '.' | '' {
  if (c === 0x2b || c === 0x2d) return 'S';
  if (c >= 0x30 && c <= 0x39) return 'D';
  if (c === 0x2e) return '.';
  // y Y n N t T f F o O ~
  if (c === 0x79 || c === 0x59 || c === 0x6e || c === 0x4e || c === 0x74 || c === 0x54 || c === 0x66 || c === 0x46 || c === 0x6f || c === 0x4f || c === 0x7e) return 'M';
  return '';
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/**
 * True when go-yaml's encoder must quote `s` because, written plain, it would read back as a bool, null, int,
 * float, timestamp, or (kept quoted "for compatibility") a YAML 1.1 base-60 float. encode.go stringv().
 */
export function resolvesAsNonString(s: string): boolean {
  if (s === '') return true;
  const hint = hintOf(s.charCodeAt(0));
  if (hint === '') return false;
  if (RESOLVE_MAP.has(s)) return true;
  switch (hint) {
    case 'M':
      return false;
    case '.':
      return parsesAsGoFloat(s);
    default:
      if (isTimestamp(s)) return true;
      if (isBase60Float(s)) return true;
      return resolvesAsNumber(s.replaceAll('_', ''));
  }
}

// The 'D'/'S' branch after the timestamp check, on the text with underscores removed.
function resolvesAsNumber(plain: string): boolean {
  if (parseGoInt(plain) !== undefined) return true;
  if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return true;
  if (plain.startsWith('0b')) return /^[01]+$/.test(plain.slice(2)) && BigInt('0b' + plain.slice(2)) < 1n << 64n;
  if (plain.startsWith('-0b')) return /^[01]+$/.test(plain.slice(3)) && BigInt('0b' + plain.slice(3)) <= 1n << 63n;
  return false;
}

/** encode.go isBase60Float: go-yaml quotes `1:20`-like strings although it no longer reads them as numbers. */
export function isBase60Float(s: string): boolean {
  const c = s.charCodeAt(0);
  if (!(c === 0x2b || c === 0x2d || (c >= 0x30 && c <= 0x39)) || !s.includes(':')) return false;
  return BASE60_FLOAT.test(s);
}

/**
 * Go's strconv.ParseInt(s, 0, 64), falling back to ParseUint(s, 0, 64) as resolve() does: the value as a
 * bigint, or undefined when neither accepts `s`. Base prefixes 0b/0o/0x (any case, at least one digit after),
 * a bare leading 0 means octal; ParseInt takes a sign, ParseUint does not. No underscores (resolve strips them).
 */
export function parseGoInt(s: string): bigint | undefined {
  let body = s;
  const sign = body[0] === '+' || body[0] === '-' ? body[0] : '';
  if (sign !== '') body = body.slice(1);
  if (body === '') return undefined;
  let digits = body;
  let radix = 10;
  if (body[0] === '0') {
    const p = body.length >= 3 ? body[1]!.toLowerCase() : '';
    if (p === 'b' || p === 'o' || p === 'x') {
      radix = p === 'b' ? 2 : p === 'o' ? 8 : 16;
      digits = body.slice(2);
    } else {
      radix = 8;
      digits = body.slice(1);
    }
  }
  const valid = radix === 2 ? /^[01]*$/ : radix === 8 ? /^[0-7]*$/ : radix === 10 ? /^[0-9]*$/ : /^[0-9a-fA-F]*$/;
  if (!valid.test(digits)) return undefined;
  const prefix = radix === 2 ? '0b' : radix === 8 ? '0o' : radix === 16 ? '0x' : '';
  const magnitude = digits === '' ? 0n : BigInt(prefix + digits);
  // ParseInt's range, then ParseUint's (which takes no sign).
  if (sign === '-') return magnitude <= 1n << 63n ? -magnitude : undefined;
  if (sign === '+') return magnitude < 1n << 63n ? magnitude : undefined;
  return magnitude < 1n << 64n ? magnitude : undefined;
}

/*
 * strconv.ParseFloat for text that starts with '.', the only case resolve() hands it unfiltered: '.', digits
 * (underscores allowed between digits), an optional exponent, nothing after; and the value must be finite
 * (Go reports overflow to ±Inf as an error; underflow to 0 is fine).
 */
function parsesAsGoFloat(s: string): boolean {
  const m = /^\.([0-9_]*)(?:[eE][+-]?([0-9][0-9_]*))?$/.exec(s);
  if (m === null || !/[0-9]/.test(m[1]!)) return false;
  if (s.includes('_') && !underscoresBetweenDigits(s)) return false;
  return Number.isFinite(Number(s.replaceAll('_', '')));
}

// strconv.underscoreOK for a decimal float: every '_' sits between two digits.
function underscoresBetweenDigits(s: string): boolean {
  return !/(^|[^0-9])_|_($|[^0-9])/.test(s);
}

/*
 * resolve.go parseTimestamp: four digits and '-' first, then one of time.Parse's layouts
 *   2006-1-2T15:4:5.999999999Z07:00 · 2006-1-2t15:4:5.999999999Z07:00 · 2006-1-2 15:4:5.999999999 · 2006-1-2
 * with Go's rules: 1–2 digit month/day/hour/minute/second, optional fraction after '.' or ',', one or more
 * spaces for the layout's space, `Z` or `±hh:mm` zone, and range checks (day against the month's length).
 */
const TIMESTAMP = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:([Tt])| +)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,][0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$/;

export function isTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return false;
  if (m[5] === undefined) return true;
  const zone = m[8];
  if (m[4] !== undefined ? zone === undefined : zone !== undefined) return false; // T/t layouts need a zone; the space layout has none
  if (Number(m[5]) > 23 || Number(m[6]) > 59 || Number(m[7]) > 59) return false;
  if (zone !== undefined && zone !== 'Z' && (Number(zone.slice(1, 3)) > 24 || Number(zone.slice(4, 6)) > 60)) return false;
  return true;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/**
 * How sigs.k8s.io/yaml's JSONToYAML writes a JSON number: go-yaml reads the literal as a plain scalar, so it
 * becomes an int (ParseInt, then ParseUint: written back in decimal), else a float64 (written with
 * strconv.FormatFloat(f, 'g', -1, 64)), else — out of float64 range — the string itself.
 */
export function yamlNumberText(literal: string): string {
  const int = parseGoInt(literal);
  if (int !== undefined) return int.toString();
  if (YAML_STYLE_FLOAT.test(literal)) {
    const f = Number(literal);
    if (Number.isFinite(f)) return formatGoFloatG(f);
  }
  return literal;
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64): shortest digits; %e when the exponent is < -4 or ≥ 6 (the
 *  precision Go uses for this choice in shortest mode), with a sign and at least two exponent digits. */
export function formatGoFloatG(f: number): string {
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  const neg = f < 0;
  const [mantissa, expText] = Math.abs(f).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  let body: string;
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    body = digits[0]! + (digits.length > 1 ? '.' + digits.slice(1) : '') + 'e' + (exp < 0 ? '-' : '+') + (e < 10 ? '0' + e : String(e));
  } else if (exp < 0) {
    body = '0.' + '0'.repeat(-exp - 1) + digits;
  } else {
    const intLen = exp + 1;
    body = digits.length <= intLen ? digits + '0'.repeat(intLen - digits.length) : digits.slice(0, intLen) + '.' + digits.slice(intLen);
  }
  return neg ? '-' + body : body;
}
