# hipaa-ir fleet: Ansible stdout callback that prints one JSON object per line for `hipaa-ir fleet`
# to read (host progress, each host's result, unreachable hosts, failures). Results of no_log tasks are
# already censored by Ansible before they get here; nothing but the fields below is printed.
from __future__ import annotations

import json
import sys
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: hipaa_ir_events
    type: stdout
    short_description: JSON lines for hipaa-ir fleet
    description: One JSON object per line on stdout, read by hipaa-ir fleet collect.
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'hipaa_ir_events'

    def _emit(self, event, **fields):
        fields['event'] = event
        fields['time'] = time.time()
        sys.stdout.write(json.dumps(fields, default=str) + '\n')
        sys.stdout.flush()

    @staticmethod
    def _msg(result):
        res = result._result
        if res.get('censored'):
            return 'output hidden (no_log)'
        return str(res.get('msg') or res.get('stderr') or res.get('reason') or '')[:2000]

    def v2_runner_on_start(self, host, task):
        self._emit('start', host=host.get_name(), task=task.get_name())

    def v2_runner_on_ok(self, result):
        if result._task.get_name() == 'hipaa-ir result':
            facts = result._result.get('ansible_facts', {})
            self._emit('result', host=result._host.get_name(), result=facts.get('hir_result'))

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._emit('failed', host=result._host.get_name(), task=result._task.get_name(), msg=self._msg(result))

    def v2_runner_on_unreachable(self, result):
        self._emit('unreachable', host=result._host.get_name(), task=result._task.get_name(), msg=self._msg(result))

    def v2_playbook_on_no_hosts_matched(self):
        self._emit('no-hosts')

    def v2_playbook_on_stats(self, stats):
        self._emit('stats', hosts=sorted(stats.processed.keys()))
