/**
 * The fictional company of the demo, Fabrikam, Inc.: its subscriptions, resources, meters and prices.
 * Prices are in the range of Azure's public list prices; meter names follow Azure's irregular spelling
 * (see PRIMER section 2). One account uses legacy 1K meters whose ConsumedQuantity is in blocks, the way
 * some Microsoft documents describe it, so the quantity-convention check has something to find.
 */

export interface Subscription { id: string; name: string }

export interface Meter {
  name: string;
  category: string;
  subcategory: string;
  /** Per pricing block (tokens) or per unit (hours, GB). */
  listPrice: string;
  /** Contracted price as a fraction of list (EA discount); tokens are at list. */
  discount?: string;
  block: 1 | 1000 | 1000000;
  unitDescription: string;
  consumedUnit: string;
  pricingUnit: string;
  /** Daily quantity range in consumed units (tokens, hours, GB), before weekend dip and growth. */
  daily: [number, number];
  /** Legacy convention: ConsumedQuantity written in pricing blocks instead of tokens. */
  consumedInBlocks?: boolean;
  /** Daily quantities are integers divided by 10^quantityScale (GB with decimals). */
  quantityScale?: number;
  /** Token meters: the model and token type the meter bills (the demo's own truth, for its telemetry). */
  model?: string;
  tokenType?: 'input' | 'output' | 'cached_input';
  /** Covered by the PTU reservation: billed 0 on usage, amortized into effective cost. */
  reserved?: { rate: string };
}

/** Which product features use a resource's models, and in what share (the demo's telemetry). */
export interface FeatureUse { feature: string; team?: string; environment: string; share: number }

export interface Resource {
  name: string;
  subscription: keyof typeof SUBSCRIPTIONS;
  resourceGroup: string;
  provider: string; // ARM provider/type path
  armType: string; // x_ResourceType
  serviceName: string;
  serviceCategory: string;
  serviceSubcategory: string;
  region: string;
  regionName: string;
  tags: Record<string, string>;
  meters: Meter[];
  features?: FeatureUse[];
  /** Added after the first demo: draws from its own random stream (the other resources' data stays the same). */
  ownRandomStream?: boolean;
  /** The GPU fleet's later VMs (demo/gpu-fleet.ts): a stream of their own too, apart from the one above. */
  gpuFleetStream?: boolean;
}

export const BILLING_ACCOUNT = {
  id: '/providers/Microsoft.Billing/billingAccounts/7c9e1c3a-5b2d-4e8f-9a61-3f2b8c4d5e6f:9f1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d_2019-05-31',
  name: 'Fabrikam, Inc.',
  profileId: '/providers/Microsoft.Billing/billingAccounts/' +
    '7c9e1c3a-5b2d-4e8f-9a61-3f2b8c4d5e6f:9f1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d_2019-05-31/billingProfiles/FBRK-4D2P-BG7-PGB',
  profileName: 'Fabrikam Cloud',
  invoiceSection: 'Product Engineering',
};

export const SUBSCRIPTIONS = {
  aiProd: { id: '2f6c1e8a-93b1-4c55-a0d4-6b1f7e2c9a10', name: 'fabrikam-ai-prod' },
  aiDev: { id: '8d3a5b72-1e4f-4a29-b6c8-0f9e2d7a3b41', name: 'fabrikam-ai-dev' },
  platform: { id: 'c41e9f06-7a2b-4d8c-95e3-2b6a1f0d8c72', name: 'fabrikam-platform' },
  ml: { id: '5a7b9c1d-3e2f-4061-8a9b-c7d6e5f4a3b2', name: 'fabrikam-ml-research' },
} satisfies Record<string, Subscription>;

type TokenKind = NonNullable<Meter['tokenType']>;
const tokens1M = (name: string, model: string, tokenType: TokenKind, listPrice: string, daily: [number, number]): Meter => ({
  name, category: 'Foundry Models', subcategory: 'Azure OpenAI', listPrice, block: 1000000, unitDescription: '1M', consumedUnit: 'Units',
  pricingUnit: 'Units', daily, model, tokenType,
});
const tokens1K = (name: string, model: string, tokenType: TokenKind, listPrice: string, daily: [number, number]): Meter => ({
  name, category: 'Cognitive Services', subcategory: 'Azure OpenAI', listPrice, block: 1000, unitDescription: '1K', consumedUnit: 'Units',
  pricingUnit: 'Units', daily, consumedInBlocks: true, model, tokenType,
});
const hourly = (name: string, category: string, subcategory: string, listPrice: string, perDay: number, discount?: string): Meter => ({
  name, category, subcategory, listPrice, block: 1, unitDescription: '1 Hour', consumedUnit: 'Hours', pricingUnit: 'Hours',
  daily: [perDay, perDay], ...(discount ? { discount } : {}),
});

const AOAI = {
  provider: 'Microsoft.CognitiveServices/accounts', armType: 'microsoft.cognitiveservices/accounts',
  serviceName: 'Azure AI Services', serviceCategory: 'AI and Machine Learning', serviceSubcategory: 'AI Platforms',
};

export const RESOURCES: Resource[] = [
  {
    ...AOAI, name: 'aoai-support-prod', subscription: 'aiProd', resourceGroup: 'rg-support-ai', region: 'eastus2', regionName: 'East US 2',
    tags: { feature: 'support-copilot', team: 'cx-platform', environment: 'prod', cost_center: 'CC-1042' },
    features: [
      { feature: 'support-copilot', team: 'cx-platform', environment: 'prod', share: 0.7 },
      { feature: 'agent-assist', team: 'cx-platform', environment: 'prod', share: 0.3 },
    ],
    meters: [
      tokens1M('gpt 4o 1120 Inp glbl 1M Tokens', 'gpt-4o', 'input', '2.5', [40_000_000, 60_000_000]),
      tokens1M('gpt 4o 1120 Outp glbl 1M Tokens', 'gpt-4o', 'output', '10', [8_000_000, 12_000_000]),
      tokens1M('gpt 4o 1120 cached Inp glbl 1M Tokens', 'gpt-4o', 'cached_input', '1.25', [15_000_000, 25_000_000]),
      tokens1K('gpt-4o-mini-0718-Inp-glbl', 'gpt-4o-mini', 'input', '0.000165', [150_000_000, 250_000_000]),
      tokens1K('gpt-4o-mini-0718-Outp-glbl', 'gpt-4o-mini', 'output', '0.00066', [20_000_000, 40_000_000]),
    ],
  },
  {
    ...AOAI, name: 'aoai-docs-prod', subscription: 'aiProd', resourceGroup: 'rg-docs-ai', region: 'swedencentral',
    regionName: 'Sweden Central',
    tags: { feature: 'doc-intake', team: 'ops-automation', environment: 'prod', cost_center: 'CC-2210' },
    features: [{ feature: 'doc-intake', team: 'ops-automation', environment: 'prod', share: 1 }],
    meters: [
      tokens1M('gpt 4.1 Batch Inp glbl', 'gpt-4.1', 'input', '1', [100_000_000, 300_000_000]),
      tokens1M('gpt 4.1 Batch Outp glbl', 'gpt-4.1', 'output', '4', [10_000_000, 30_000_000]),
      tokens1M('o3 Inpt DZone 1M Tokens', 'o3', 'input', '2.2', [5_000_000, 10_000_000]),
      tokens1M('o3 Outpt DZone 1M Tokens', 'o3', 'output', '8.8', [2_000_000, 4_000_000]),
    ],
  },
  {
    // no team tag: a realistic gap
    ...AOAI, name: 'aoai-sales-prod', subscription: 'aiProd', resourceGroup: 'rg-sales-ai', region: 'eastus2', regionName: 'East US 2',
    tags: { feature: 'lead-scoring', environment: 'prod' },
    // a feature without a team, in telemetry too
    features: [{ feature: 'lead-scoring', environment: 'prod', share: 1 }],
    meters: [
      tokens1M('5 mini Inp Gl 1M Tokens', 'gpt-5-mini', 'input', '0.25', [60_000_000, 100_000_000]),
      tokens1M('5 mini Outp Gl 1M Tokens', 'gpt-5-mini', 'output', '2', [10_000_000, 20_000_000]),
      tokens1M('5 mini Cd Inp Gl 1M Tokens', 'gpt-5-mini', 'cached_input', '0.025', [20_000_000, 40_000_000]),
    ],
  },
  {
    ...AOAI, name: 'aoai-ptu-prod', subscription: 'aiProd', resourceGroup: 'rg-support-ai', region: 'swedencentral',
    regionName: 'Sweden Central',
    tags: { feature: 'support-copilot', team: 'cx-platform', environment: 'prod', cost_center: 'CC-1042' },
    meters: [{ ...hourly('Provisioned Managed Global Unit', 'Foundry Models', 'Azure OpenAI', '1', 50 * 24), reserved: { rate: '0.36' } }],
  },
  {
    // untagged: a realistic gap
    ...AOAI, name: 'aoai-dev', subscription: 'aiDev', resourceGroup: 'rg-ai-sandbox', region: 'eastus2', regionName: 'East US 2',
    tags: {},
    // seen through APIM LLM and gateway logs only: which subscription called, not which feature
    features: [
      { feature: 'support-copilot', team: 'cx-platform', environment: 'dev', share: 0.5 },
      { feature: 'doc-intake', team: 'ops-automation', environment: 'dev', share: 0.5 },
    ],
    meters: [
      tokens1M('GPT 5 inpt Glbl 1M Tokens', 'gpt-5', 'input', '1.25', [2_000_000, 6_000_000]),
      tokens1M('GPT 5 outpt Glbl 1M Tokens', 'gpt-5', 'output', '10', [500_000, 1_500_000]),
      tokens1M('GPT 5 cd inp Glbl 1M Tokens', 'gpt-5', 'cached_input', '0.125', [1_000_000, 2_000_000]),
      tokens1M('5 mini pp Inp Gl 1M Tokens', 'gpt-5-mini', 'input', '0.45', [1_000_000, 3_000_000]),
    ],
  },
  {
    name: 'vm-gpu-train01', subscription: 'ml', resourceGroup: 'rg-ml-training', provider: 'Microsoft.Compute/virtualMachines',
    armType: 'microsoft.compute/virtualmachines', serviceName: 'Virtual Machines', serviceCategory: 'Compute',
    serviceSubcategory: 'Virtual Machines',
    region: 'eastus2', regionName: 'East US 2',
    tags: { feature: 'fine-tuning', team: 'ml-research', environment: 'dev', cost_center: 'CC-3300' },
    meters: [hourly('NC24ads A100 v4', 'Virtual Machines', 'NCadsA100v4 Series', '3.673', 24, '0.95')],
  },
  {
    // the ML platform's serving VM: a self-hosted Llama model that agent-assist calls (its usage log names the VM:
    // demo/gpu-fleet.ts); the platform pays for it (capacity.jobs maps the pod to llm-serving); a light load holds the GPU
    // idle most hours
    name: 'vm-gpu-infer01', subscription: 'ml', resourceGroup: 'rg-ml-inference', provider: 'Microsoft.Compute/virtualMachines',
    armType: 'microsoft.compute/virtualmachines', serviceName: 'Virtual Machines', serviceCategory: 'Compute',
    serviceSubcategory: 'Virtual Machines',
    region: 'westus3', regionName: 'West US 3',
    tags: { feature: 'llm-serving', team: 'ml-platform', environment: 'prod', cost_center: 'CC-3300', 'gpu-pool': 'llama-serving' },
    meters: [hourly('NC8as T4 v3', 'Virtual Machines', 'NCasT4 v3 Series', '0.752', 24, '0.95')],
    gpuFleetStream: true,
  },
  {
    // a dev GPU VM left running with nothing scheduled: billed, unallocated
    name: 'vm-gpu-dev01', subscription: 'ml', resourceGroup: 'rg-ml-dev', provider: 'Microsoft.Compute/virtualMachines',
    armType: 'microsoft.compute/virtualmachines', serviceName: 'Virtual Machines', serviceCategory: 'Compute',
    serviceSubcategory: 'Virtual Machines',
    region: 'westus3', regionName: 'West US 3',
    tags: { team: 'ml-research', environment: 'dev', cost_center: 'CC-3300' },
    meters: [hourly('NC4as T4 v3', 'Virtual Machines', 'NCasT4 v3 Series', '0.526', 24, '0.95')],
    gpuFleetStream: true,
  },
  {
    name: 'srch-rag-prod', subscription: 'platform', resourceGroup: 'rg-platform', provider: 'Microsoft.Search/searchServices',
    armType: 'microsoft.search/searchservices', serviceName: 'Azure AI Search', serviceCategory: 'AI and Machine Learning',
    serviceSubcategory: 'AI Platforms',
    region: 'eastus2', regionName: 'East US 2',
    tags: { team: 'platform', environment: 'prod', cost_center: 'CC-0100' },
    meters: [hourly('Standard S1 Unit', 'Azure Cognitive Search', 'Standard S1', '0.336', 24)],
  },
  {
    name: 'stfabrikamrag', subscription: 'platform', resourceGroup: 'rg-platform', provider: 'Microsoft.Storage/storageAccounts',
    armType: 'microsoft.storage/storageaccounts', serviceName: 'Storage Accounts', serviceCategory: 'Storage',
    serviceSubcategory: 'Storage Platforms',
    region: 'eastus2', regionName: 'East US 2',
    tags: { team: 'platform', environment: 'prod', cost_center: 'CC-0100' },
    meters: [{ name: 'Hot LRS Data Stored', category: 'Storage', subcategory: 'Blob Storage', listPrice: '0.0184', block: 1,
      unitDescription: '1 GB/Month', consumedUnit: 'GB/Month', pricingUnit: 'GB/Month', daily: [38_000, 44_000], quantityScale: 3 }],
  },
  {
    name: 'apim-ai-gateway', subscription: 'platform', resourceGroup: 'rg-platform', provider: 'Microsoft.ApiManagement/service',
    armType: 'microsoft.apimanagement/service', serviceName: 'API Management', serviceCategory: 'Integration',
    serviceSubcategory: 'API Management',
    region: 'eastus2', regionName: 'East US 2',
    tags: { team: 'platform', environment: 'prod', cost_center: 'CC-0100' },
    meters: [hourly('Standard Unit', 'API Management', 'Standard', '0.9397', 24)],
  },
  {
    name: 'log-ai-prod', subscription: 'platform', resourceGroup: 'rg-platform', provider: 'Microsoft.OperationalInsights/workspaces',
    armType: 'microsoft.operationalinsights/workspaces', serviceName: 'Log Analytics', serviceCategory: 'Management and Governance',
    serviceSubcategory: 'Observability',
    region: 'eastus2', regionName: 'East US 2',
    tags: { team: 'platform', environment: 'prod' },
    meters: [{ name: 'Analytics Logs Data Ingestion', category: 'Log Analytics', subcategory: 'Analytics Logs', listPrice: '2.3', block: 1,
      unitDescription: '1 GB', consumedUnit: 'GB', pricingUnit: 'GB', daily: [20_000, 40_000], quantityScale: 3 }],
  },
  {
    // security tooling: overhead shared by the sharing rules of the demo's tokenledger.yaml
    name: 'defender-ai-prod', subscription: 'platform', resourceGroup: 'rg-security', provider: 'Microsoft.Security/pricings',
    armType: 'microsoft.security/pricings', serviceName: 'Microsoft Defender for Cloud', serviceCategory: 'Security',
    serviceSubcategory: 'Threat Protection',
    region: 'eastus2', regionName: 'East US 2',
    tags: { team: 'security', environment: 'prod', cost_center: 'CC-0100' },
    meters: [hourly('Standard Node', 'Microsoft Defender for Cloud', 'Defender for Servers', '0.02', 24 * 20)],
    ownRandomStream: true,
  },
];

/** The PTU reservation that covers aoai-ptu-prod: bought monthly, amortized daily. */
export const PTU_RESERVATION = {
  id: '/providers/Microsoft.Capacity/reservationOrders/0b7e2a41-6c3d-4f5e-9a8b-7c6d5e4f3a21/reservations/' +
    'd1c2b3a4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  name: 'PTU Global Reservation - 50 units',
  units: 50,
};
