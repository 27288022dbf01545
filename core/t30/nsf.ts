/**
 * NSF / NSC / NSS: non-standard facilities. The FIF starts with a T.35 country code (one octet,
 * 0xFF = an extension octet follows), then a terminal provider code (usually two octets), then
 * anything the maker likes. T.30 (2003) says the FIF goes MSB first, but many machines sent it
 * LSB first like the rest of T.30, so a country code may arrive bit-reversed (USA 0xB5 seen as
 * 0xAD "Tunisia"); like spandsp we prefer the likely country of the pair. We show the country,
 * the provider bytes, and any run of printable characters as "ASCII string: ...".
 */

// T.35 Annex A country names by code (index = code; '' = unassigned).
const COUNTRIES: string[] = (
  'Japan|Albania|Algeria|American Samoa|Germany|Anguilla|Antigua and Barbuda|Argentina|Ascension|Australia|' +
  'Austria|Bahamas|Bahrain|Bangladesh|Barbados|Belgium|Belize|Benin|Bermuda|Bhutan|Bolivia|Botswana|Brazil|' +
  'British Antarctic Territory|British Indian Ocean Territory|British Virgin Islands|Brunei Darussalam|Bulgaria|' +
  'Myanmar|Burundi|Belarus|Cameroon|Canada|Cape Verde|Cayman Islands|Central African Republic|Chad|Chile|China|' +
  'Colombia|Comoros|Congo|Cook Islands|Costa Rica|Cuba|Cyprus|Czech Republic|Cambodia|' +
  "Democratic People's Republic of Korea|Denmark|Djibouti|Dominican Republic|Dominica|Ecuador|Egypt|El Salvador|" +
  'Equatorial Guinea|Ethiopia|Falkland Islands|Fiji|Finland|France|French Polynesia|' +
  'French Southern and Antarctic Lands|Gabon|Gambia|Germany (Federal Republic of)|Angola|Ghana|Gibraltar|Greece|' +
  'Grenada|Guam|Guatemala|Guernsey|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|Hong Kong|Hungary|Iceland|India|' +
  "Indonesia|Iran|Iraq|Ireland|Israel|Italy|Cote d'Ivoire|Jamaica|Afghanistan|Jersey|Jordan|Kenya|Kiribati|" +
  "Korea (Republic of)|Kuwait|Lao People's Democratic Republic|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|" +
  'Luxembourg|Macau|Madagascar|Malaysia|Malawi|Maldives|Mali|Malta|Mauritania|Mauritius|Mexico|Monaco|Mongolia|' +
  'Montserrat|Morocco|Mozambique|Nauru|Nepal|Netherlands|Netherlands Antilles|New Caledonia|New Zealand|' +
  'Nicaragua|Niger|Nigeria|Norway|Oman|Pakistan|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|' +
  'Portugal|Puerto Rico|Qatar|Romania|Rwanda|Saint Kitts and Nevis|Saint Croix|Saint Helena and Ascension|' +
  'Saint Lucia|San Marino|Saint Thomas|Sao Tome and Principe|Saint Vincent and the Grenadines|Saudi Arabia|' +
  'Senegal|Seychelles|Sierra Leone|Singapore|Solomon Islands|Somalia|South Africa|Spain|Sri Lanka|Sudan|' +
  'Suriname|Swaziland|Sweden|Switzerland|Syria|Tanzania|Thailand|Togo|Tonga|Trinidad and Tobago|Tunisia|Turkey|' +
  'Turks and Caicos Islands|Tuvalu|Uganda|Ukraine|United Arab Emirates|United Kingdom|United States|' +
  'Burkina Faso|Uruguay|U.S.S.R.|Vanuatu|Vatican City State|Venezuela|Viet Nam|Wallis and Futuna|Western Samoa|' +
  'Yemen|Yemen|Yugoslavia|Zaire|Zambia|Zimbabwe|Slovakia|Slovenia'
).split('|');
while (COUNTRIES.length < 256) COUNTRIES.push('');
COUNTRIES[0xf7] = 'Lithuania';
COUNTRIES[0xf8] = 'Latvia';
COUNTRIES[0xf9] = 'Estonia';
COUNTRIES[0xfa] = 'US Virgin Islands';
COUNTRIES[0xfd] = '(Universal)';
COUNTRIES[0xfe] = 'Taiwan';

/** Codes that are much more often a bit-reversed common country than themselves. */
const LIKELY_REVERSED = new Set([0x20, 0x2d, 0x64, 0x86, 0xad, 0xbc]);

export function bitReverse8(b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i);
  return r;
}

/** The country name for a T.35 code as it is written in T.35, or null. */
export function t35CountryName(code: number): string | null {
  return COUNTRIES[code & 0xff] || null;
}

export interface NsfInfo {
  /** Country code octet as received. */
  countryCode: number;
  /** Best guess at the country (accounting for bit-reversed senders), or null. */
  country: string | null;
  /** True when the country was found by reversing the octet's bits. */
  countryReversed: boolean;
  /** Terminal provider code octets (the two after the country code; one octet of 0xFF extension skipped). */
  provider: Uint8Array;
  /** The remaining octets. */
  data: Uint8Array;
  /** Printable runs of 4+ characters found in the FIF (read forwards or reversed). */
  strings: string[];
}

/** Parse an NSF/NSC/NSS FIF. Never throws; empty input gives an empty result. */
export function parseNsf(fif: Uint8Array): NsfInfo {
  const cc = fif.length > 0 ? fif[0]! : 0;
  let country: string | null = null;
  let reversed = false;
  if (LIKELY_REVERSED.has(cc)) {
    country = t35CountryName(bitReverse8(cc));
    reversed = true;
  } else if (cc !== 0xff) {
    country = t35CountryName(cc);
    if (!country) {
      country = t35CountryName(bitReverse8(cc));
      reversed = country !== null;
    }
  }
  const start = cc === 0xff ? 2 : 1;
  const provider = fif.slice(Math.min(start, fif.length), Math.min(start + 2, fif.length));
  const data = fif.slice(Math.min(start + 2, fif.length));
  return { countryCode: cc, country, countryReversed: reversed, provider, data, strings: printableRuns(data) };
}

/** Runs of at least `min` printable ASCII characters, as sent. */
export function printableRuns(bytes: Uint8Array, min = 4): string[] {
  const out: string[] = [];
  let run = '';
  const flush = () => {
    const t = run.trim();
    if (t.length >= min) out.push(t);
    run = '';
  };
  for (const b of bytes) {
    if (b >= 0x20 && b < 0x7f) run += String.fromCharCode(b);
    else flush();
  }
  flush();
  return out;
}

/** Build an NSF FIF: country code, provider code, then data. */
export function buildNsf(countryCode: number, provider: ArrayLike<number>, data: ArrayLike<number> = []): Uint8Array {
  const out = new Uint8Array(1 + provider.length + data.length);
  out[0] = countryCode & 0xff;
  out.set(provider as ArrayLike<number>, 1);
  out.set(data as ArrayLike<number>, 1 + provider.length);
  return out;
}
