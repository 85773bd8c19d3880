// Confirmation for actions that cost money or lose data: says what happens before it happens.
import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import type { ReactNode } from 'react';

export function confirmAction(opts: { title: string; body: ReactNode; confirmLabel: string; danger?: boolean; onConfirm: () => void }) {
  modals.openConfirmModal({
    title: opts.title,
    children: typeof opts.body === 'string' ? <Text size="sm">{opts.body}</Text> : opts.body,
    labels: { confirm: opts.confirmLabel, cancel: 'Keep as is' },
    confirmProps: { color: opts.danger ? 'red' : undefined },
    onConfirm: opts.onConfirm,
  });
}
