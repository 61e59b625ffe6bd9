// One CloudWatch alarm per checked target, for serverless.yml (`resources: - ${file(...)}`).
// CloudFormation has no loop without a transform, so osls runs this at package time, offline: it reads
// the same `targets` and `domain` parameters the functions get as OTS_TARGETS and OTS_DOMAIN, and names
// each target as the core does (src/targets.ts: a region `eu`, the default host `onetimesecret.com`,
// a domain by its host and port). test/functions/package.test.ts checks the two agree.
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

/** OTS_TARGETS (default `all`) plus OTS_DOMAIN; OTS_DOMAIN alone when OTS_TARGETS is empty. */
function targetNames(list, domain) {
  const tokens = String(list || (domain ? '' : 'all'))
    .split(/[\s,]+/)
    .filter((token) => token !== '')
    .flatMap((token) => (token.toLowerCase() === 'all' ? REGIONS : [token]));
  if (domain) tokens.push(domain);
  return [...new Set(tokens.map(targetName))];
}

function logicalId(name, taken) {
  const base = `UpAlarm${name.replace(/[^A-Za-z0-9]/g, '').replace(/^./, (c) => c.toUpperCase())}`;
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}${n}`;
  taken.add(id);
  return id;
}

function alarm(name, service) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: `Onetime Secret target ${name} is down (Up < 1 in 2 of the last 3 five-minute checks).`,
      Namespace: 'OnetimeSecret',
      MetricName: 'Up',
      // Powertools adds the `service` dimension to every metric: the alarm must name both.
      Dimensions: [
        { Name: 'service', Value: service },
        { Name: 'Target', Value: name },
      ],
      Statistic: 'Minimum',
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      // No data means the scheduled check itself stopped: that is worth an alarm too.
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: 'AlarmTopic' }],
      OKActions: [{ Ref: 'AlarmTopic' }],
    },
  };
}

async function alarms({ resolveVariable }) {
  const list = await resolveVariable('param:targets');
  const domain = await resolveVariable('param:domain');
  const service = await resolveVariable('self:provider.environment.POWERTOOLS_SERVICE_NAME');
  const taken = new Set();
  const Resources = {};
  for (const name of targetNames(list, domain)) Resources[logicalId(name, taken)] = alarm(name, service);
  return { Resources };
}

module.exports = alarms;
module.exports.targetNames = targetNames;
