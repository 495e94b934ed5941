/**
 * Example (c): `groupBy`. Every day of one weather type reaches `apply` in one call
 * (a group is never split), with the group's key in `ctx.key`. Statistics come from
 * simple-statistics, bundled automatically.
 *
 *   npx tsapply run examples/weather-stats.ts
 *
 * Data: vega-datasets seattle-weather.csv (1,461 days, 2012–2015).
 */
import { max, mean, median } from 'simple-statistics';
import { defineJob } from 'tsapply';

export default defineJob({
  input: { format: 'csv', path: '../node_modules/vega-datasets/data/seattle-weather.csv' },
  groupBy: ['weather'],
  // `days` is a 64-bit integer column: JS bigint (see the README's type table).
  schema: 'weather string, days bigint, mean_temp_max double, median_precipitation double, max_wind double',
  apply(batch, ctx) {
    const col = (name: string) => Array.from(batch.column(name).toArray() as Float64Array);
    const round2 = (x: number) => Math.round(x * 100) / 100;
    return [
      {
        weather: ctx.key!.weather as string,
        days: BigInt(batch.numRows),
        mean_temp_max: round2(mean(col('temp_max'))),
        median_precipitation: round2(median(col('precipitation'))),
        max_wind: max(col('wind')),
      },
    ];
  },
});
