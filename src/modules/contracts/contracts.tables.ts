import type { ColumnType, Generated } from 'kysely';

export interface ContractsTable {
  id: Generated<number>;
  identity_key: string;
  source: 'contract' | 'award' | 'tender';
  ocid: string;
  release_id: string | null;
  release_date: string | null;
  award_id: string | null;
  contract_id: string | null;
  title: string | null;
  description: string | null;
  buyer_name: string | null;
  buyer_scheme: string | null;
  buyer_identifier: string | null;
  organisation_id: number | null;
  value_pence: number | null;
  minimum_value_pence: number | null;
  currency: string | null;
  start_date: string | null;
  end_date: string | null;
  status: string | null;
  source_url: string | null;
  cpv_codes: ColumnType<string[], string[] | undefined, string[]>;
  category: string | null;
  source_file: string;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ContractSuppliersTable {
  contract_id: number;
  position: number;
  name: string | null;
  scheme: string | null;
  identifier: string | null;
  supplier_id: number | null;
  /** OCDS partyScale of the supplier (0151); null when the release does not say. */
  scale: ColumnType<SupplierScale | null, SupplierScale | null | undefined, SupplierScale | null>;
}

/** OCDS partyScale codes. */
export type SupplierScale = 'micro' | 'sme' | 'large' | 'selfEmployed';

export interface ContractImportsTable {
  id: Generated<number>;
  file_name: string;
  sha256: string;
  package_kind: string;
  releases: number;
  contracts: number;
  created: number;
  updated: number;
  imported_at: ColumnType<Date, Date | undefined, never>;
  imported_by: number | null;
}

export interface ContractTables {
  contracts: ContractsTable;
  contract_suppliers: ContractSuppliersTable;
  contract_imports: ContractImportsTable;
}
