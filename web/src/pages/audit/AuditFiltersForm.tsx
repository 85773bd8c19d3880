// The audit log's filter form. It edits a copy of the filters in the URL and applies them on submit
// (Enter in any field), so typing does not fire a request per keystroke.
import { Autocomplete, Button, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { ACTOR_TYPES, hasFilters, NO_FILTERS, RESULTS, type AuditFilters } from './audit-filters';

const ACTION_SUGGESTIONS = ['instance.*', 'member.*', 'api_key.*', 'credential.*', 'site.*', 'tenant.*', 'auth.login'];
export const ACTOR_TYPE_LABEL: Record<(typeof ACTOR_TYPES)[number], string> = { user: 'User', api_key: 'API key', operator: 'Tenantry operator', system: 'System' };

export function AuditFiltersForm({ filters, onApply }: { filters: AuditFilters; onApply: (filters: AuditFilters) => void }) {
  const form = useForm({
    initialValues: filters,
    validate: {
      action: (v) => (!v.trim() || /^[a-z0-9_.]+\*?$/.test(v.trim()) ? null : 'Lower-case letters, digits, dots and underscores, optionally ending in *'),
      to: (v, values) => (v && values.from && v < values.from ? 'Must not be before the start day' : null),
    },
  });
  // The URL can change without this form (a quick filter from an entry, the browser's back button).
  const urlFilters = JSON.stringify(filters);
  useEffect(() => {
    form.setValues(JSON.parse(urlFilters) as AuditFilters);
    form.resetDirty();
    // Only when the URL’s filters change, not on every render of the form.
  }, [urlFilters]);

  return (
    <form onSubmit={form.onSubmit((v) => onApply({ ...v, action: v.action.trim(), actorId: v.actorId.trim(), targetId: v.targetId.trim() }))} noValidate aria-label="Filter the audit log">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
        <Autocomplete label="Action" placeholder="e.g. instance.*" description="Exact, or a prefix ending in *" data={ACTION_SUGGESTIONS} {...form.getInputProps('action')} />
        <Select
          label="Actor type"
          placeholder="Any"
          clearable
          data={ACTOR_TYPES.map((t) => ({ value: t, label: ACTOR_TYPE_LABEL[t] }))}
          {...form.getInputProps('actorType')}
          value={form.getValues().actorType || null}
          onChange={(v) => form.setFieldValue('actorType', v ?? '')}
        />
        <TextInput label="Actor id" placeholder="user or API key id" description="Open an entry to filter by its actor" {...form.getInputProps('actorId')} />
        <Select
          label="Result"
          placeholder="Any"
          clearable
          data={RESULTS.map((r) => ({ value: r, label: r }))}
          {...form.getInputProps('result')}
          value={form.getValues().result || null}
          onChange={(v) => form.setFieldValue('result', v ?? '')}
        />
        <TextInput label="Target id" placeholder="e.g. an instance id" {...form.getInputProps('targetId')} />
        <TextInput label="From" type="date" description="From the start of this day" {...form.getInputProps('from')} />
        <TextInput label="To" type="date" description="Up to the end of this day" {...form.getInputProps('to')} />
        <Group align="flex-end" gap="xs">
          <Button type="submit">Apply filters</Button>
          {hasFilters(filters) && (
            <Button variant="subtle" onClick={() => onApply(NO_FILTERS)}>
              Clear filters
            </Button>
          )}
        </Group>
      </SimpleGrid>
    </form>
  );
}
