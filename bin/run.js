#!/usr/bin/env node
// The AWS SDK warns on every run under Node 20 about its future Node 22 requirement; hipaa-ir pins the SDK and
// supports the machine's Node 20, so the warning would only be noise on an incident responder's terminal.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const {execute} = await import('@oclif/core')
await execute({dir: import.meta.url})
