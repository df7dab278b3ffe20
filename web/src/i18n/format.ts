/** Locale-aware number, size, date and duration formatting with Intl, one set per language. */
export interface Formatters {
  number(value: number, options?: Intl.NumberFormatOptions): string;
  compact(value: number): string;
  bytes(value: number): string;
  milliseconds(value: number): string;
  date(value: Date | string): string;
  dateTime(value: Date | string): string;
  day(value: Date | string): string;
  money(value: number, currency?: string): string;
}

const byteUnits = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

export function createFormatters(locale: string): Formatters {
  const numbers = new Map<string, Intl.NumberFormat>();
  const numberFormat = (options: Intl.NumberFormatOptions = {}) => {
    const key = JSON.stringify(options);
    let format = numbers.get(key);
    if (!format) {
      format = new Intl.NumberFormat(locale, options);
      numbers.set(key, format);
    }
    return format;
  };
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  // Usage days are UTC dates (YYYY-MM-DD); show them as such, not shifted into the local zone.
  const dayFormat = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const toDate = (value: Date | string) => (typeof value === 'string' ? new Date(value) : value);
  return {
    number: (value, options) => numberFormat(options).format(value),
    compact: (value) => numberFormat({ notation: 'compact', maximumFractionDigits: 1 }).format(value),
    bytes(value) {
      let unit = 0;
      let scaled = value;
      while (scaled >= 1000 && unit < byteUnits.length - 1) {
        scaled /= 1000;
        unit++;
      }
      return numberFormat({
        style: 'unit',
        unit: byteUnits[unit],
        unitDisplay: 'short',
        maximumFractionDigits: unit === 0 ? 0 : 1,
      }).format(scaled);
    },
    milliseconds(value) {
      if (value >= 1000)
        return numberFormat({ style: 'unit', unit: 'second', maximumFractionDigits: 2 }).format(value / 1000);
      return numberFormat({ style: 'unit', unit: 'millisecond', maximumFractionDigits: 0 }).format(value);
    },
    date: (value) => dateFormat.format(toDate(value)),
    dateTime: (value) => dateTimeFormat.format(toDate(value)),
    day: (value) => dayFormat.format(toDate(value)),
    money: (value, currency = 'USD') =>
      numberFormat({ style: 'currency', currency, maximumFractionDigits: value < 0.01 ? 6 : 4 }).format(
        value,
      ),
  };
}
