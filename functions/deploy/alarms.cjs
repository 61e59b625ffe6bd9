// One CloudWatch alarm per checked target, for serverless.yml (`resources: - ${file(...)}`).
// CloudFormation has no loop without a transform, so osls runs this at package time, offline: it reads
// the same `targets`, `region`, `domain` and `onetimeHost` parameters the functions get as OTS_TARGETS,
// OTS_REGION, OTS_DOMAIN and ONETIME_HOST, chooses among them as functions/config-targets.ts does, and
// names each target as the core does (src/targets/targets.ts: a region `eu`, the default host
// `onetimesecret.com`, a domain by its host and port). test/functions/osls.test.ts checks they agree.
'use strict';

const REGIONS = ['ca', 'eu', 'nz', 'uk', 'us'];
const SERVICE_HOST = 'onetimesecret.com';

/** The display name of one token of OTS_TARGETS, or of OTS_DOMAIN. */
function targetName(token) {
  const lower = token.toLowerCase();
  if (REGIONS.includes(lower)) return lower;
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(token) ? token : `https://${token}`);
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'https:' && url.port === '') {
    if (host === SERVICE_HOST) return SERVICE_HOST;
    const region = host.endsWith(`.${SERVICE_HOST}`) ? host.slice(0, -SERVICE_HOST.length - 1) : '';
    if (REGIONS.includes(region)) return region;
  }
  return url.host.toLowerCase();
}

function words(value) {
  return String(value || '')
    .split(/[\s,]+/)
    .filter((token) => token !== '');
}

/**
 * OTS_TARGETS plus OTS_DOMAIN; without OTS_TARGETS, OTS_REGION and/or OTS_DOMAIN; without those,
 * ONETIME_HOST (its /api/v1 or /api/v2 path ignored); without any, all five regions.
 */
function targetNames({ targets, region, domain, onetimeHost }) {
  const [list, one, extra, host] = [targets, region, domain, onetimeHost].map((v) => String(v || '').trim());
  let tokens;
  if (list !== '') tokens = [...words(list), ...words(extra)];
  else if (one !== '' || extra !== '') tokens = [...words(one), ...words(extra)];
  else if (host !== '') tokens = [host.replace(/\/api\/v[12]\/?$/, '/api')];
  else tokens = ['all'];
  const expanded = tokens.flatMap((token) => (token.toLowerCase() === 'all' ? REGIONS : [token]));
  return [...new Set(expanded.map(targetName))];
}

function logicalId(name, taken) {
  const base = `UpAlarm${name.replace(/[^A-Za-z0-9]/g, '').replace(/^./, (c) => c.toUpperCase())}`;
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}${n}`;
  taken.add(id);
  return id;
}

function alarm(name, service, scheduled) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      // Up is the target's confirmed state (functions/scheduled.ts): the scheduled function has already
      // re-checked and counted OTS_CONFIRM_CHECKS bad checks in a row, so one data point is enough.
      AlarmDescription: `Onetime Secret target ${name} is down (its confirmed state, after re-checks).`,
      Namespace: 'OnetimeSecret',
      MetricName: 'Up',
      // Powertools adds the `service` dimension to every metric: the alarm must name both.
      Dimensions: [
        { Name: 'service', Value: service },
        { Name: 'Target', Value: name },
      ],
      Statistic: 'Minimum',
      Period: 300,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      // With the schedule on, no data means the check itself stopped: that is worth an alarm too. With
      // it paused (scheduleEnabled=false) there is no data by design: the alarm waits, it does not fire.
      TreatMissingData: scheduled ? 'breaching' : 'missing',
      AlarmActions: [{ Ref: 'AlarmTopic' }],
      OKActions: [{ Ref: 'AlarmTopic' }],
    },
  };
}

async function alarms({ resolveVariable }) {
  const names = targetNames({
    targets: await resolveVariable('param:targets'),
    region: await resolveVariable('param:region'),
    domain: await resolveVariable('param:domain'),
    onetimeHost: await resolveVariable('param:onetimeHost'),
  });
  const service = await resolveVariable('self:provider.environment.POWERTOOLS_SERVICE_NAME');
  // `--param=scheduleEnabled=false` arrives as a string, the default as a boolean.
  const scheduled = String(await resolveVariable('param:scheduleEnabled')).toLowerCase() !== 'false';
  const taken = new Set();
  const Resources = {};
  for (const name of names) Resources[logicalId(name, taken)] = alarm(name, service, scheduled);
  return { Resources };
}

module.exports = alarms;
module.exports.targetNames = targetNames;
