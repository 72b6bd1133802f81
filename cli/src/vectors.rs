//! Public-input vectors computed by filecoin-proofs' own crates (storage-proofs-porep/-post 18),
//! for testing the contracts' on-chain derivation (spec §4.2, §4.3) against the reference.
//! `cli/tests/data/public-input-vectors.json` is this module's output, checked in; a test
//! regenerates it and compares.

use anyhow::Result;
use blstrs::Scalar as Fr;
use ff::PrimeField;
use filecoin_hashers::poseidon::PoseidonDomain;
use filecoin_hashers::sha256::Sha256Domain;
use filecoin_hashers::Domain;
use filecoin_proofs::parameters::{public_params, window_post_public_params};
use filecoin_proofs::DefaultPieceHasher;
use polka_storage_primitives::hash::truncate_to_fr;
use polka_storage_primitives::randomness::derive_prover_id;
use polka_storage_primitives::AccountId;
use serde_json::{json, Value};
use storage_proofs_core::compound_proof::CompoundProof;
use storage_proofs_core::drgraph::Graph;
use storage_proofs_core::sector::SectorId;
use storage_proofs_porep::stacked::{self, generate_replica_id, StackedCompound, StackedDrg};
use storage_proofs_post::fallback::{
    self, generate_leaf_challenge, get_challenge_index, FallbackPoSt, FallbackPoStCircuit, FallbackPoStCompound,
};

use crate::format::hex0x;
use crate::params::{porep_config, window_post_config, Tree, API_VERSION, POST_PROOF, SEAL_PROOF};

/// A canonical field element made from a byte pattern (top two bits cleared).
fn pattern(byte: u8) -> [u8; 32] {
    truncate_to_fr([byte; 32])
}

fn fr_hex(value: &Fr) -> String {
    hex0x(value.to_repr().as_ref())
}

/// Computes the vectors.
pub fn compute() -> Result<Value> {
    crate::params::configure()?;
    let provider = AccountId::from([0x42; 32]);
    let prover_id = derive_prover_id(&provider);
    let sector_number: u64 = 77;
    let ticket = pattern(0x0c);
    let seed = pattern(0x0d);
    let comm_d = pattern(0x2d);
    let comm_r = pattern(0x2e);

    // PoRep (spec §4.2), partition 0 of the only partition.
    let config = porep_config();
    let porep = public_params::<Tree>(&config)?;
    let replica_id: PoseidonDomain = generate_replica_id::<filecoin_hashers::poseidon::PoseidonHasher, _>(
        &prover_id,
        sector_number,
        &ticket,
        comm_d,
        &config.porep_id,
    );
    let inputs = stacked::PublicInputs::<PoseidonDomain, Sha256Domain> {
        replica_id,
        seed: Some(seed),
        tau: Some(stacked::Tau {
            comm_d: Sha256Domain::try_from_bytes(&comm_d)?,
            comm_r: PoseidonDomain::try_from_bytes(&comm_r)?,
        }),
        k: Some(0),
    };
    let challenges = inputs.challenges(&porep.challenges, porep.graph.size(), Some(0));
    let mut challenge_vectors = Vec::new();
    for &challenge in &challenges {
        let mut drg = vec![0u32; porep.graph.base_graph().degree()];
        porep.graph.base_graph().parents(challenge, &mut drg)?;
        let mut expander = vec![0u32; porep.graph.expansion_degree()];
        porep.graph.expanded_parents(challenge, &mut expander)?;
        challenge_vectors.push(json!({
            "node": challenge,
            "drg_parents": drg,
            "expander_parents": expander,
        }));
    }
    let porep_inputs = <StackedCompound<Tree, DefaultPieceHasher> as CompoundProof<
        StackedDrg<'_, Tree, DefaultPieceHasher>,
        _,
    >>::generate_public_inputs(&inputs, &porep, Some(0))?;

    // Window PoSt (spec §4.3): two sectors of one partition, and one sector (padded by repeating).
    let post_config = window_post_config();
    let post = window_post_public_params::<Tree>(&post_config)?;
    let randomness = pattern(0x01);
    let randomness_domain = PoseidonDomain::try_from_bytes(&randomness)?;
    let sectors = [(77u64, pattern(0x2e)), (78u64, pattern(0x2f))];
    let leaf_challenges: Vec<Value> = sectors
        .iter()
        .enumerate()
        .map(|(index, (sector, _))| {
            let leaves: Vec<u64> = (0..post.challenge_count)
                .map(|n| {
                    let challenge_index = get_challenge_index(post.api_version, index, post.challenge_count, n);
                    generate_leaf_challenge(&post, randomness_domain, *sector, challenge_index)
                })
                .collect();
            json!({ "sector_number": sector, "leaves": leaves })
        })
        .collect();
    let post_inputs = |count: usize| -> Result<Vec<String>> {
        let public = fallback::PublicInputs::<PoseidonDomain> {
            randomness: randomness_domain,
            prover_id: PoseidonDomain::try_from_bytes(&prover_id)?,
            sectors: sectors[..count]
                .iter()
                .map(|(sector, comm_r)| {
                    Ok(fallback::PublicSector {
                        id: SectorId::from(*sector),
                        comm_r: PoseidonDomain::try_from_bytes(comm_r)?,
                    })
                })
                .collect::<Result<_>>()?,
            k: Some(0),
        };
        let inputs = <FallbackPoStCompound<Tree> as CompoundProof<
            FallbackPoSt<'_, Tree>,
            FallbackPoStCircuit<Tree>,
        >>::generate_public_inputs(&public, &post, Some(0))?;
        Ok(inputs.iter().map(fr_hex).collect())
    };

    Ok(json!({
        "about": "Public inputs computed by filecoin-proofs 18.1 (storage-proofs-porep/-post 18.1) for fixed inputs. Field elements are 32 little-endian bytes. Regenerate with STORAGE_CLI_BLESS=1 cargo test --release -p storage-cli --test public_input_vectors.",
        "porep": {
            "seal_proof": format!("{SEAL_PROOF:?}"),
            "porep_id": hex0x(&config.porep_id),
            "api_version": API_VERSION.to_string(),
            "sector_nodes": porep.graph.size(),
            "provider": hex0x(AsRef::<[u8; 32]>::as_ref(&provider)),
            "prover_id": hex0x(&prover_id),
            "sector_number": sector_number,
            "ticket": hex0x(&ticket),
            "seed": hex0x(&seed),
            "comm_d": hex0x(&comm_d),
            "comm_r": hex0x(&comm_r),
            "replica_id": hex0x(&replica_id.into_bytes()),
            "challenges": challenge_vectors,
            "public_inputs": porep_inputs.iter().map(fr_hex).collect::<Vec<_>>(),
        },
        "window_post": {
            "post_proof": format!("{POST_PROOF:?}"),
            "api_version": post_config.api_version.to_string(),
            "sector_size": post.sector_size,
            "challenges_per_sector": post.challenge_count,
            "sectors_per_proof": post.sector_count,
            "prover_id": hex0x(&prover_id),
            "randomness": hex0x(&randomness),
            "sectors": sectors.iter().map(|(sector, comm_r)| json!({
                "sector_number": sector,
                "comm_r": hex0x(comm_r),
            })).collect::<Vec<_>>(),
            "leaf_challenges": leaf_challenges,
            "public_inputs_two_sectors": post_inputs(2)?,
            "public_inputs_first_sector_only": post_inputs(1)?,
        },
    }))
}
