/** @type {import('jest').Config} */
module.exports = { ...require('../../jest.base.config.cjs')(__dirname), displayName: '@aio/sync' };
