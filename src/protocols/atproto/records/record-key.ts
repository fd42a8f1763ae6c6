const ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';
let lastMicros = 0;

/**
 * A new TID record key (timestamp in microseconds + random clock id,
 * base32-sortable, 13 characters), as the PDS itself would choose one.
 * Herald chooses it before writing so a retried write lands on the same key.
 */
export function newRecordKey(now = Date.now()): string {
  let micros = now * 1000;
  if (micros <= lastMicros) micros = lastMicros + 1;
  lastMicros = micros;
  const clockId = BigInt(Math.floor(Math.random() * 1024));
  let value = (BigInt(micros) << 10n) | clockId;
  let key = '';
  for (let i = 0; i < 13; i++) {
    key = ALPHABET[Number(value & 31n)] + key;
    value >>= 5n;
  }
  return key;
}
