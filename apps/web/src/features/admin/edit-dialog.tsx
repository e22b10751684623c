import { App, Button, Form, type FormInstance, Modal } from 'antd';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { applyFieldError, errorMessage, validateForm } from '../../lib/form-errors.ts';
import { useI18n } from '../../lib/i18n.ts';

/** `undefined`: the dialog is closed; `null`: creating a new item; an item: editing it. */
export type Editing<T> = T | null | undefined;

export type EditDialogState<T, V> = {
  editing: Editing<T>;
  form: FormInstance<V>;
  isSaving: boolean;
  openNew: () => void;
  openEdit: (item: T) => void;
  close: () => void;
  submit: () => Promise<void>;
};

/**
 * The create/edit dialog of an admin list: fills the form from the item (or the defaults), runs the
 * form's rules, saves, puts an API error next to the field it names (else a message), and closes.
 */
export function useEditDialog<T, V>(opts: {
  /** Form values for an item, or for a new one (`null`). */
  values: (item: T | null) => V;
  save: (item: T | null, values: V) => Promise<T>;
  onSaved: (saved: T) => void;
  /** Form fields an API error may name. */
  fields: readonly string[];
}): EditDialogState<T, V> {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<Editing<T>>(undefined);
  const [form] = Form.useForm<V>();
  const [isSaving, setIsSaving] = useState(false);
  // The callbacks change every render; the dialog needs only their latest version.
  const latest = useRef(opts);
  latest.current = opts;

  useEffect(() => {
    if (editing === undefined) return;
    form.resetFields();
    form.setFieldsValue(latest.current.values(editing) as Parameters<typeof form.setFieldsValue>[0]);
  }, [editing, form]);

  const submit = async () => {
    const values = await validateForm(form);
    if (!values || editing === undefined) return;
    setIsSaving(true);
    try {
      latest.current.onSaved(await latest.current.save(editing, values));
      message.success(t(editing ? 'common.saved' : 'common.created'));
      setEditing(undefined);
    } catch (error) {
      if (!applyFieldError(form, error, latest.current.fields))
        message.error(errorMessage(error, t('common.requestFailed')));
    } finally {
      setIsSaving(false);
    }
  };

  return {
    editing,
    form,
    isSaving,
    openNew: () => setEditing(null),
    openEdit: (item) => setEditing(item),
    close: () => setEditing(undefined),
    submit,
  };
}

/** The modal of `useEditDialog`: its form items are the children. */
export function EditDialog<T, V>(props: {
  dialog: EditDialogState<T, V>;
  title: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const { dialog } = props;
  return (
    <Modal
      open={dialog.editing !== undefined}
      title={props.title}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={dialog.isSaving}
      onOk={dialog.submit}
      onCancel={dialog.close}
      forceRender
    >
      <Form form={dialog.form} layout="vertical">
        {props.children}
      </Form>
    </Modal>
  );
}

/** The "edit" link of a table row. */
export function EditLink(props: { onClick: () => void }) {
  const { t } = useI18n();
  return (
    <Button type="link" size="small" onClick={props.onClick}>
      {t('common.edit')}
    </Button>
  );
}
