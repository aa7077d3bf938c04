import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, data } from '../../api/client';
import { Field } from '../../components/field';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { ContractFields, useContractFields } from './contract-form';
import { complaints, FormAlert } from './parts';
import { LINE_TYPES, type BatchItem, type BatchRequest } from './types';

/** One row of the batch as typed or pasted; empty cells are left out of the request. */
interface Row {
  dn: string;
  displayName: string;
  lineType: string;
  loginId: string;
  agentName: string;
  team: string;
  ip: string;
}
const COLUMNS: ReadonlyArray<{ key: keyof Row; label: MessageKey; path: string }> = [
  { key: 'dn', label: 'ln_colDn', path: 'dn' },
  { key: 'displayName', label: 'ln_colName', path: 'displayName' },
  { key: 'lineType', label: 'ln_colType', path: 'lineType' },
  { key: 'loginId', label: 'ln_agentLogin', path: 'agent.loginId' },
  { key: 'agentName', label: 'ln_agentName', path: 'agent.name' },
  { key: 'team', label: 'ln_agentTeam', path: 'agent.team' },
  { key: 'ip', label: 'ln_phoneIp', path: 'phone' },
];
const blank = (): Row => ({ dn: '', displayName: '', lineType: 'extension', loginId: '', agentName: '', team: '', ip: '' });

function itemOf(row: Row): BatchItem {
  const agent = row.loginId.trim() || row.agentName.trim() || row.team.trim();
  return {
    dn: row.dn.trim(),
    displayName: row.displayName,
    lineType: row.lineType as BatchItem['lineType'],
    ...(agent ? { agent: { loginId: row.loginId.trim(), name: row.agentName, ...(row.team.trim() ? { team: row.team.trim() } : {}), skills: [] } } : {}),
    ...(row.ip.trim() ? { phone: { ip: row.ip.trim() } } : {}),
  };
}

/** Pasted rows (from a spreadsheet: tabs; or commas), in the columns' order. */
function rowsOf(text: string): Row[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim())
    .map((line) => {
      const cells = line.split(line.includes('\t') ? '\t' : ',').map((c) => c.trim());
      const row = blank();
      COLUMNS.forEach((col, i) => {
        if (cells[i]) row[col.key] = cells[i];
      });
      return row;
    });
}

/** A batch of lines (일괄 개통): the batch's center and team, a table of rows, an optional contract for all. */
export function BatchForm() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [center, setCenter] = useState('');
  const [team, setTeam] = useState('');
  const [rows, setRows] = useState<Row[]>([blank()]);
  const [paste, setPaste] = useState('');
  const [withContract, setWithContract] = useState(false);
  const contract = useContractFields('contract.');
  const body: BatchRequest = {
    center,
    ...(team.trim() ? { team: team.trim() } : {}),
    lines: rows.map(itemOf),
    ...(withContract ? { contract: contract.body } : {}),
  };
  const submit = useMutation({
    mutationFn: () => data(api.POST('/api/v1/line-batches', { body })),
    onSuccess: (batch) => {
      void queries.invalidateQueries({ queryKey: ['lines'] });
      void navigate(`/lines/batches/${batch.id}`);
    },
  });
  const fields = [
    'center',
    'team',
    ...(withContract ? contract.fields : []),
    ...rows.flatMap((_, i) => [`lines.${i}`, ...COLUMNS.map((col) => `lines.${i}.${col.path}`), `lines.${i}.agent`]),
  ];
  const c = complaints(submit.error, fields);
  const setCell = (i: number, key: keyof Row, value: string) => setRows(rows.map((r, n) => (n === i ? { ...r, [key]: value } : r)));

  return (
    <form
      className="line-form batch-form"
      aria-label={t('ln_batch')}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        submit.mutate();
      }}
    >
      <FormAlert messages={c.rest} />
      <div className="form-grid">
        <Field label={t('ln_batchCenter')} error={c.at('center')}>
          <input name="center" value={center} onChange={(e) => setCenter(e.target.value)} required />
        </Field>
        <Field label={t('ln_batchTeam')} error={c.at('team')}>
          <input name="team" value={team} onChange={(e) => setTeam(e.target.value)} />
        </Field>
      </div>
      <details className="paste">
        <summary>{t('ln_paste')}</summary>
        <Field label={t('ln_pasteHint')}>
          <textarea name="paste" rows={5} value={paste} onChange={(e) => setPaste(e.target.value)} />
        </Field>
        <button
          type="button"
          onClick={() => {
            const pasted = rowsOf(paste);
            if (pasted.length) setRows(pasted);
          }}
        >
          {t('ln_pasteApply')}
        </button>
      </details>
      <table className="batch-rows">
        <caption>{`${t('ln_batchRows')} (${rows.length})`}</caption>
        <thead>
          <tr>
            <th scope="col">{t('ln_row')}</th>
            {COLUMNS.map((col) => (
              <th key={col.key} scope="col">
                {t(col.label)}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">{t('ln_removeRow')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              <th scope="row">
                {i + 1}
                {c.at(`lines.${i}`) && <span className="field-error" role="alert">{` ${c.at(`lines.${i}`)}`}</span>}
              </th>
              {COLUMNS.map((col) => (
                <td key={col.key}>
                  <Cell
                    label={`${t('ln_row')} ${i + 1} ${t(col.label)}`}
                    name={`lines.${i}.${col.path}`}
                    value={row[col.key]}
                    onChange={(v) => setCell(i, col.key, v)}
                    error={col.key === 'loginId' ? (c.at(`lines.${i}.agent.loginId`) ?? c.at(`lines.${i}.agent`)) : c.at(`lines.${i}.${col.path}`)}
                    options={col.key === 'lineType' ? LINE_TYPES : undefined}
                  />
                </td>
              ))}
              <td>
                <button type="button" disabled={rows.length === 1} onClick={() => setRows(rows.filter((_, n) => n !== i))}>
                  {`${t('ln_removeRow')} ${i + 1}`}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button type="button" onClick={() => setRows([...rows, blank()])}>
          {t('ln_addRow')}
        </button>
      </p>
      <fieldset>
        <legend>{t('ln_contract')}</legend>
        <Field label={t('ln_withContract')}>
          <input name="withContract" type="checkbox" checked={withContract} onChange={(e) => setWithContract(e.target.checked)} />
        </Field>
        {withContract && <ContractFields value={contract.contract} onChange={contract.setContract} error={c.at} prefix="contract." />}
      </fieldset>
      <button type="submit" disabled={submit.isPending}>
        {t('ln_batchSubmit')}
      </button>
    </form>
  );
}

/** A cell of the rows' table: its name read out with its row, the API's complaint under it. */
function Cell({
  label,
  name,
  value,
  onChange,
  error,
  options,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  options?: readonly string[];
}) {
  const errorId = `${useId()}-error`;
  const common = { name, 'aria-label': label, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? errorId : undefined };
  return (
    <>
      {options ? (
        <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input {...common} value={value} onChange={(e) => onChange(e.target.value)} />
      )}
      {error && (
        <span id={errorId} className="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
