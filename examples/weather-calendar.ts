/**
 * Example (a): a job that imports an npm package. tsapply bundles date-fns into the
 * job's payload automatically — run `npx tsapply bundle examples/weather-calendar.ts`
 * to see it listed with its version.
 *
 *   npx tsapply run examples/weather-calendar.ts
 *
 * Seattle's daily weather (vega-datasets) gets calendar columns: weekday, ISO week,
 * quarter, and the day's temperature range.
 */
import { format, getISOWeek, getQuarter, isWeekend } from 'date-fns';
import { defineJob } from 'tsapply';

/** date-fns works in local time; the CSV's dates are UTC midnights, so rebuild the same calendar day locally. */
function calendarDay(d: Date): Date {
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

export default defineJob({
  // Relative to this file. CSV types are inferred as Spark would: `date` becomes a
  // date (a JS Date at UTC midnight), the measurements doubles, `weather` a string.
  input: { format: 'csv', path: '../node_modules/vega-datasets/data/seattle-weather.csv' },
  schema: 'day string, weekday string, weekend boolean, iso_week int, quarter int, temp_range double, weather string',
  apply(batch) {
    const out = [];
    for (const row of batch) {
      const day = calendarDay(row.date as Date);
      out.push({
        day: format(day, 'yyyy-MM-dd'),
        weekday: format(day, 'EEEE'),
        weekend: isWeekend(day),
        iso_week: getISOWeek(day),
        quarter: getQuarter(day),
        temp_range: Math.round(((row.temp_max as number) - (row.temp_min as number)) * 10) / 10,
        weather: row.weather as string,
      });
    }
    return out;
  },
});
