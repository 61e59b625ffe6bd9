// SSM parameter ARNs for serverless.yml's IAM policy. A name may be hierarchical (`/onetime-kit/token`)
// or flat (`onetime-kit-token`); its ARN is `...:parameter/<name without its leading slash>` either way,
// which CloudFormation's Fn::Sub cannot express, so osls resolves this at package time, offline.
'use strict';

function arnPath(name) {
  const value = String(name || '').trim();
  return value === '' ? '' : `/${value.replace(/^\/+/, '')}`;
}

module.exports = {
  tokenParameterPath: async ({ resolveVariable }) => arnPath(await resolveVariable('param:tokenParameter')),
  webhookSecretParameterPath: async ({ resolveVariable }) =>
    arnPath(await resolveVariable('param:webhookSecretParameter')),
  notifyUrlParameterPath: async ({ resolveVariable }) =>
    arnPath(await resolveVariable('param:notifyUrlParameter')),
  arnPath,
};
