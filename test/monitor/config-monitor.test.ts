/** The monitor's settings, the receiver formats chosen by host, and the local schedule's setting. */
import { describe, expect, it } from 'vitest';
import { MONITOR_DEFAULTS, readMonitorConfig } from '../../functions/config-monitor.js';
import { formatFor } from '../../functions/monitor/messages.js';
import { parseScheduleSeconds } from '../../scripts/local-schedule.js';
import { historyTableDefinition } from '../../scripts/local-store.js';

describe('readMonitorConfig', () => {
  it('has the documented defaults', () => {
    const config = readMonitorConfig({});
    expect(config).toMatchObject({ ...MONITOR_DEFAULTS, notifyUrls: { kind: 'none' } });
    expect(MONITOR_DEFAULTS).toEqual({
      historyDays: 90,
      recheckSeconds: 5,
      confirmChecks: 2,
      remindMinutes: 0,
      notifyFormat: 'auto',
      statusMaxAgeSeconds: 600,
    });
    expect(config.table).toBeUndefined();
  });

  it('reads every variable', () => {
    const config = readMonitorConfig({
      OTS_HISTORY_TABLE: 'onetime-kit-prod-history',
      OTS_HISTORY_DAYS: '30',
      OTS_RECHECK_SECONDS: '0',
      OTS_CONFIRM_CHECKS: '3',
      OTS_REMIND_MINUTES: '60',
      OTS_NOTIFY_URL: 'https://hooks.slack.com/services/a, https://example.com/hook',
      OTS_NOTIFY_FORMAT: 'Teams',
      OTS_NOTIFY_SECRET: 's',
      OTS_STATUS_MAX_AGE_SECONDS: '120',
    });
    expect(config).toMatchObject({
      table: 'onetime-kit-prod-history',
      historyDays: 30,
      recheckSeconds: 0,
      confirmChecks: 3,
      remindMinutes: 60,
      notifyFormat: 'teams',
      notifySecret: 's',
      statusMaxAgeSeconds: 120,
    });
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ OTS_CONFIRM_CHECKS: '0' }, /^OTS_CONFIRM_CHECKS must be a whole number of checks from 1 to 20/],
    [
      { OTS_RECHECK_SECONDS: '60' },
      /^OTS_RECHECK_SECONDS must be a whole number of seconds from 0 to 20 .*60 s timeout/,
    ],
    [{ OTS_NOTIFY_FORMAT: 'email' }, /^OTS_NOTIFY_FORMAT is not allowed: use one of auto, slack, teams/],
    [{ OTS_HISTORY_TABLE: 'no spaces allowed' }, /^OTS_HISTORY_TABLE is not a DynamoDB table name/],
    [{ OTS_NOTIFY_URL: ' , ' }, /^OTS_NOTIFY_URL has no URL in it/],
    [
      { OTS_NOTIFY_URL: 'https://a.example/x', OTS_NOTIFY_URL_PARAMETER: '/p' },
      /^OTS_NOTIFY_URL_PARAMETER and OTS_NOTIFY_URL are both set/,
    ],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)}`, () => {
      expect(() => readMonitorConfig(env)).toThrow(message);
    });
  }
});

describe('formatFor (auto)', () => {
  const cases: [string, string][] = [
    ['https://hooks.slack.com/services/T/B/x', 'slack'],
    ['https://discord.com/api/webhooks/1/x', 'discord'],
    ['https://discordapp.com/api/webhooks/1/x', 'discord'],
    ['https://discord.com/other', 'json'],
    ['https://prod-12.westeurope.logic.azure.com/workflows/x', 'teams'],
    ['https://default123.environment.api.powerplatform.com/powerautomate/x', 'teams'],
    ['https://alerts.example.com/hook', 'json'],
  ];
  for (const [url, format] of cases) {
    it(`${new URL(url).host} is ${format}`, () => expect(formatFor(new URL(url), 'auto')).toBe(format));
  }
  it('an explicit format wins', () => expect(formatFor(new URL(cases[0]![0]), 'json')).toBe('json'));
});

describe('local stack settings', () => {
  it('OTS_LOCAL_SCHEDULE_SECONDS: 60 by default, 0 is off, nonsense is refused by name', () => {
    expect(parseScheduleSeconds(undefined)).toBe(60);
    expect(parseScheduleSeconds('0')).toBe(0);
    expect(parseScheduleSeconds(' 15 ')).toBe(15);
    expect(() => parseScheduleSeconds('soon')).toThrow(/^OTS_LOCAL_SCHEDULE_SECONDS must be a whole number/);
  });

  it('the local table is serverless.yml’s HistoryTable definition', () => {
    expect(historyTableDefinition()).toEqual({
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
  });
});
