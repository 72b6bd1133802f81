//! The runtime of the sandbox chain: System, Balances, Timestamp and pallet-contracts, with the
//! contract limits of substrate-contracts-node 0.42 rather than the small defaults of the
//! drink / ink_e2e sandbox (123 KiB code, 1e11 gas): 256 KiB code, a 2e12 ref_time block and a
//! deep call stack. It implements [`ink_sandbox::Sandbox`], so drink's `Session` and ink_e2e's
//! runtime-only backend run on it too.

use frame_support::{
    construct_runtime, derive_impl, parameter_types,
    traits::{ConstBool, ConstU128, ConstU32, ConstU64, Hooks, Randomness},
    weights::Weight,
};
use ink_sandbox::{Sandbox, Snapshot};
use sp_runtime::{
    traits::{Convert, Dispatchable},
    AccountId32, BuildStorage, Perbill,
};

/// Balance of the chain.
pub type Balance = u128;

/// One unit of the native token (12 decimals, as on substrate-contracts-node).
pub const UNIT: Balance = 1_000_000_000_000;
/// The existential deposit of substrate-contracts-node.
pub const EXISTENTIAL_DEPOSIT: Balance = UNIT / 1_000;
/// Milliseconds per block (the original runtime's 6-second blocks).
pub const BLOCK_TIME_MS: u64 = 6_000;
/// ref_time of one block of substrate-contracts-node: 2 seconds of execution.
pub const BLOCK_REF_TIME: u64 = 2_000_000_000_000;
/// proof_size budget per call (the relay chain's 5 MiB PoV; the node itself sets no bound).
pub const BLOCK_PROOF_SIZE: u64 = 5 * 1024 * 1024;
/// Largest contract code, as on substrate-contracts-node 0.42.
pub const MAX_CODE_LEN: u32 = 256 * 1024;

construct_runtime!(
    pub enum StorageRuntime {
        System: frame_system,
        Balances: pallet_balances,
        Timestamp: pallet_timestamp,
        Contracts: pallet_contracts,
    }
);

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig as frame_system::DefaultConfig)]
impl frame_system::Config for StorageRuntime {
    type Block = frame_system::mocking::MockBlockU32<StorageRuntime>;
    type AccountData = pallet_balances::AccountData<Balance>;
}

impl pallet_balances::Config for StorageRuntime {
    type RuntimeEvent = RuntimeEvent;
    type WeightInfo = ();
    type Balance = Balance;
    type DustRemoval = ();
    type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
    type AccountStore = System;
    type ReserveIdentifier = [u8; 8];
    type FreezeIdentifier = ();
    type MaxLocks = ();
    type MaxReserves = ();
    type MaxFreezes = ();
    type RuntimeHoldReason = RuntimeHoldReason;
    type RuntimeFreezeReason = RuntimeFreezeReason;
}

impl pallet_timestamp::Config for StorageRuntime {
    type Moment = u64;
    type OnTimestampSet = ();
    type MinimumPeriod = ConstU64<1>;
    type WeightInfo = ();
}

/// pallet-contracts wants a randomness source; the suite has its own beacon and never asks
/// the chain, so this is a fixed, plainly non-random value.
pub enum NoChainRandomness {}

impl Randomness<sp_core::H256, u32> for NoChainRandomness {
    fn random(subject: &[u8]) -> (sp_core::H256, u32) {
        (sp_core::H256(sp_core::blake2_256(subject)), 0)
    }
}

impl Convert<Weight, Balance> for StorageRuntime {
    fn convert(weight: Weight) -> Balance {
        weight.ref_time().into()
    }
}

/// Storage deposits of substrate-contracts-node: 0.1 UNIT per item, 0.005 per byte.
const fn deposit(items: u32, bytes: u32) -> Balance {
    (items as Balance * UNIT + bytes as Balance * (UNIT / 200)) / 10
}

parameter_types! {
    pub ContractsSchedule: pallet_contracts::Schedule<StorageRuntime> = pallet_contracts::Schedule {
        limits: pallet_contracts::Limits {
            runtime_memory: 1024 * 1024 * 1024,
            ..Default::default()
        },
        ..Default::default()
    };
    pub const DepositPerItem: Balance = deposit(1, 0);
    pub const DepositPerByte: Balance = deposit(0, 1);
    pub const DefaultDepositLimit: Balance = deposit(1024, 1024 * 1024);
    pub const CodeHashLockupDepositPercent: Perbill = Perbill::from_percent(0);
}

impl pallet_contracts::Config for StorageRuntime {
    type Time = Timestamp;
    type Randomness = NoChainRandomness;
    type Currency = Balances;
    type RuntimeEvent = RuntimeEvent;
    type RuntimeCall = RuntimeCall;
    type CallFilter = frame_support::traits::Nothing;
    type WeightPrice = Self;
    type WeightInfo = ();
    type ChainExtension = ();
    type Schedule = ContractsSchedule;
    type CallStack = [pallet_contracts::Frame<Self>; 23];
    type DepositPerByte = DepositPerByte;
    type DepositPerItem = DepositPerItem;
    type DefaultDepositLimit = DefaultDepositLimit;
    type AddressGenerator = pallet_contracts::DefaultAddressGenerator;
    type MaxCodeLen = ConstU32<MAX_CODE_LEN>;
    type MaxStorageKeyLen = ConstU32<128>;
    // Production chains do not expose unstable host functions (sr25519_verify among them):
    // the contracts must not rely on them.
    type UnsafeUnstableInterface = ConstBool<false>;
    type UploadOrigin = frame_system::EnsureSigned<Self::AccountId>;
    type InstantiateOrigin = frame_system::EnsureSigned<Self::AccountId>;
    type MaxDebugBufferLen = ConstU32<{ 2 * 1024 * 1024 }>;
    type Migrations = ();
    type Debug = ();
    type CodeHashLockupDepositPercent = CodeHashLockupDepositPercent;
    type MaxDelegateDependencies = ConstU32<32>;
    type RuntimeHoldReason = RuntimeHoldReason;
    type Environment = ();
    type Xcm = ();
    type ApiVersion = ();
}

/// The sandbox chain's state: genesis plus every block built since, in memory.
pub struct StorageSandbox {
    externalities: sp_io::TestExternalities,
}

/// Where the sandbox keeps its clock: a raw storage key outside every pallet's prefix.
const CLOCK_KEY: &[u8] = b":polka-storage:clock";

/// The sandbox's clock: block `n` has timestamp `anchor_ms + (n − anchor_block) × block_ms`.
/// Without one, block `n` starts `n` block times after the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
struct Clock {
    anchor_block: u32,
    anchor_ms: u64,
    block_ms: u64,
}

impl Clock {
    const DEFAULT: Clock = Clock { anchor_block: 0, anchor_ms: 0, block_ms: BLOCK_TIME_MS };

    /// The clock in storage (inside externalities).
    fn read() -> Clock {
        frame_support::storage::unhashed::get::<Clock>(CLOCK_KEY).unwrap_or(Clock::DEFAULT)
    }

    /// The timestamp of block `height`.
    fn timestamp(&self, height: u32) -> u64 {
        let blocks = u64::from(height.saturating_sub(self.anchor_block));
        self.anchor_ms.saturating_add(blocks.saturating_mul(self.block_ms))
    }
}

impl StorageSandbox {
    /// A chain at block 1 whose genesis endows `accounts`.
    pub fn with_accounts(accounts: Vec<(AccountId32, Balance)>) -> Self {
        let mut storage = frame_system::GenesisConfig::<StorageRuntime>::default()
            .build_storage()
            .expect("the system genesis of the sandbox builds");
        pallet_balances::GenesisConfig::<StorageRuntime> { balances: accounts }
            .assimilate_storage(&mut storage)
            .expect("the balances genesis of the sandbox builds");
        let mut externalities = sp_io::TestExternalities::new(storage);
        externalities.execute_with(|| Self::initialize_block(1, Default::default()));
        Self { externalities }
    }
}

impl StorageSandbox {
    /// The current block's timestamp in Unix milliseconds.
    pub fn timestamp(&mut self) -> u64 {
        self.externalities.execute_with(Timestamp::now)
    }

    /// Sets the current block's timestamp to `timestamp_ms` and its pace from now on:
    /// later blocks follow `block_ms` milliseconds apart. The default is block `n` at
    /// `n × BLOCK_TIME_MS` after the epoch.
    pub fn set_clock(&mut self, timestamp_ms: u64, block_ms: u64) {
        self.externalities.execute_with(|| {
            let anchor_block = System::block_number();
            let clock = Clock { anchor_block, anchor_ms: timestamp_ms, block_ms };
            frame_support::storage::unhashed::put(CLOCK_KEY, &clock);
            Timestamp::set_timestamp(timestamp_ms);
        });
    }
}

impl Default for StorageSandbox {
    fn default() -> Self {
        Self::with_accounts(vec![(Self::default_actor(), 1_000_000 * UNIT)])
    }
}

impl Sandbox for StorageSandbox {
    type Runtime = StorageRuntime;

    fn execute_with<T>(&mut self, execute: impl FnOnce() -> T) -> T {
        self.externalities.execute_with(execute)
    }

    fn dry_run<T>(&mut self, action: impl FnOnce(&mut Self) -> T) -> T {
        let before = self.externalities.as_backend();
        let result = action(self);
        self.externalities.commit_all().expect("the sandbox commits its overlay");
        self.externalities.backend = before;
        result
    }

    fn register_extension<E: core::any::Any + ink_sandbox::sp_externalities::Extension>(&mut self, extension: E) {
        self.externalities.register_extension(extension);
    }

    fn initialize_block(height: u32, parent_hash: sp_core::H256) {
        System::reset_events();
        System::initialize(&height, &parent_hash, &Default::default());
        Balances::on_initialize(height);
        // Deterministic time: block n starts n block-times after the epoch, unless a test set
        // the clock (`set_clock`).
        Timestamp::set_timestamp(Clock::read().timestamp(height));
        Timestamp::on_initialize(height);
        Contracts::on_initialize(height);
        System::note_finished_initialize();
    }

    fn finalize_block(height: u32) -> sp_core::H256 {
        Contracts::on_finalize(height);
        Timestamp::on_finalize(height);
        Balances::on_finalize(height);
        System::finalize().hash()
    }

    fn default_actor() -> AccountId32 {
        AccountId32::new([1u8; 32])
    }

    fn default_gas_limit() -> Weight {
        Weight::from_parts(BLOCK_REF_TIME, BLOCK_PROOF_SIZE)
    }

    fn get_metadata() -> ink_sandbox::RuntimeMetadataPrefixed {
        StorageRuntime::metadata()
    }

    fn convert_account_to_origin(account: AccountId32) -> <RuntimeCall as Dispatchable>::RuntimeOrigin {
        Some(account).into()
    }

    fn take_snapshot(&mut self) -> Snapshot {
        let mut backend = self.externalities.as_backend().clone();
        let storage =
            backend.backend_storage_mut().drain().into_iter().filter(|(_, (_, references))| *references > 0).collect();
        Snapshot { storage, storage_root: *backend.root() }
    }

    fn restore_snapshot(&mut self, snapshot: Snapshot) {
        self.externalities =
            sp_io::TestExternalities::from_raw_snapshot(snapshot.storage, snapshot.storage_root, Default::default());
    }
}
