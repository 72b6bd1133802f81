//! Public inputs of a StackedDRG PoRep proof (spec §4.2), as storage-proofs-porep 18 derives
//! them for API version 1.2: `[replica id, CommD, CommR]`, then for each challenged node `c`:
//! `c`, its 6 DRG parents, its 8 expander parents, and `c` three more times (every inclusion
//! input of the circuit is the index of the node it opens).

use crate::blake2b::blake2b_512;
use crate::chacha8::ChaCha8;
use crate::PublicInput;
use alloc::vec::Vec;
use polka_storage_primitives::hash::{sha256, truncate_to_fr};
use polka_storage_primitives::proofs::SealVerifyInfo;

/// Parents of a node in the DRG (bucket sampling) layer graph.
pub const BASE_DEGREE: usize = 6;
/// Parents of a node in the expander graph.
pub const EXPANSION_DEGREE: usize = 8;
/// Rounds of the Feistel network that shuffles expander edges.
const FEISTEL_ROUNDS: usize = 3;
/// Cycle-walking steps of the Feistel permutation before giving up: the domain is at most four
/// times the range, so a walk this long does not happen for any graph filecoin-proofs builds.
const MAX_CYCLE_WALK: usize = 256;
/// Bytes per node of a sector.
const NODE_SIZE: u64 = 32;

/// Why public inputs could not be derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputError {
    /// The sector is too small to have a graph.
    SectorTooSmall,
    /// The Feistel permutation did not land in range (cannot happen for Filecoin's graphs).
    PermutationDiverged,
}

/// The replica id: `SHA256(prover id ‖ u64_be(sector) ‖ ticket ‖ CommD ‖ porep id)` truncated to a
/// scalar.
pub fn replica_id(
    prover_id: &[u8; 32],
    sector_number: u64,
    ticket: &[u8; 32],
    comm_d: &[u8; 32],
    porep_id: &[u8; 32],
) -> [u8; 32] {
    truncate_to_fr(sha256(&[prover_id, &sector_number.to_be_bytes(), ticket, comm_d, porep_id]))
}

/// `bytes` (little-endian) modulo `modulus`.
fn le_bytes_mod(bytes: &[u8; 32], modulus: u64) -> u64 {
    bytes
        .iter()
        .rev()
        // The remainder stays below the modulus (< 2^32 for any sector), so shifting in a byte
        // never overflows 64 bits.
        .fold(0u64, |acc, byte| ((acc << 8) | u64::from(*byte)).checked_rem(modulus).unwrap_or(0))
}

/// The interactive challenges of partition `partition`: node indices in `[1, nodes)`, from
/// `SHA256(replica id ‖ seed ‖ u32_le(j))`.
pub fn challenges(replica_id: &[u8; 32], seed: &[u8; 32], nodes: u64, partition: u32, per_partition: u32) -> Vec<u64> {
    (0..per_partition)
        .map(|i| {
            let j = per_partition.saturating_mul(partition).saturating_add(i);
            let hash = sha256(&[replica_id, seed, &j.to_le_bytes()]);
            le_bytes_mod(&hash, nodes.saturating_sub(1)).saturating_add(1)
        })
        .collect()
}

/// The parent structure of a StackedDRG graph, derived from its porep id.
#[derive(Debug, Clone)]
pub struct StackedGraph {
    nodes: u64,
    drg_seed: [u8; 28],
    feistel_keys: [u64; 4],
    // Feistel split of the expander domain `nodes × EXPANSION_DEGREE` into two halves.
    half_bits: u32,
    right_mask: u64,
}

impl StackedGraph {
    /// The graph of a sector of `sector_size` bytes sealed under `porep_id`.
    pub fn new(porep_id: &[u8; 32], sector_size: u64) -> Result<Self, InputError> {
        let nodes = sector_size / NODE_SIZE;
        if nodes < 2 {
            return Err(InputError::SectorTooSmall);
        }
        let drg_domain = sha256(&[b"Filecoin_DRSample", porep_id]);
        let mut drg_seed = [0u8; 28];
        drg_seed.copy_from_slice(&drg_domain[..28]);
        let feistel_domain = sha256(&[b"Filecoin_Feistel", porep_id]);
        let mut feistel_keys = [0u64; 4];
        for (key, chunk) in feistel_keys.iter_mut().zip(feistel_domain.chunks_exact(8)) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            *key = u64::from_le_bytes(word);
        }
        // Smallest even number of bits (2·log4) that covers the expander domain.
        let domain = nodes.saturating_mul(EXPANSION_DEGREE as u64);
        let mut half_bits = 1u32;
        while half_bits < 32 && 4u64.pow(half_bits) < domain {
            half_bits = half_bits.saturating_add(1);
        }
        let right_mask = (1u64 << half_bits).wrapping_sub(1);
        Ok(Self { nodes, drg_seed, feistel_keys, half_bits, right_mask })
    }

    /// Nodes in a layer.
    pub fn nodes(&self) -> u64 {
        self.nodes
    }

    /// The DRG parents of `node` (bucket sampling, API ≥ 1.1: the predecessor first).
    ///
    /// `node` is below the layer size (at most 2^31 nodes), so the metagraph arithmetic below
    /// stays far from overflow; `wrapping_*` only spells that out.
    pub fn drg_parents(&self, node: u64) -> [u64; BASE_DEGREE] {
        let mut parents = [0u64; BASE_DEGREE];
        let Ok(node_u32) = u32::try_from(node) else { return parents };
        if node < 2 {
            return parents;
        }
        let mut seed = [0u8; 32];
        seed[..28].copy_from_slice(&self.drg_seed);
        seed[28..].copy_from_slice(&node_u32.to_le_bytes());
        let mut rng = ChaCha8::new(&seed);
        let m_prime = BASE_DEGREE.wrapping_sub(1) as u64;
        let metagraph_node = node.wrapping_mul(m_prime);
        // ceil(log2(metagraph_node)) without floats (metagraph_node ≥ 10): at least 4 buckets.
        let buckets = u64::from(64u32.wrapping_sub(metagraph_node.wrapping_sub(1).leading_zeros()));
        let predecessor = node.wrapping_sub(1);
        parents[0] = predecessor;
        for parent in parents.iter_mut().skip(1) {
            let bucket = (rng.next_u64().checked_rem(buckets).unwrap_or(0)).wrapping_add(1);
            let largest = metagraph_node.min(1u64 << bucket);
            let smallest = (largest >> 1).max(2);
            let span = largest.wrapping_sub(smallest).wrapping_add(1);
            let distance = smallest.wrapping_add(rng.next_u64().checked_rem(span).unwrap_or(0));
            let mapped = metagraph_node.wrapping_sub(distance).checked_div(m_prime).unwrap_or(0);
            *parent = if mapped == node { predecessor } else { mapped };
        }
        parents
    }

    fn feistel_round(&self, right: u64, key: u64) -> u64 {
        let mut data = [0u8; 16];
        data[..8].copy_from_slice(&right.to_be_bytes());
        data[8..].copy_from_slice(&key.to_be_bytes());
        let hash = blake2b_512(&data).unwrap_or([0u8; 64]);
        let mut word = [0u8; 8];
        word.copy_from_slice(&hash[..8]);
        u64::from_be_bytes(word) & self.right_mask
    }

    fn feistel_encode(&self, index: u64) -> u64 {
        let mut left = (index >> self.half_bits) & self.right_mask;
        let mut right = index & self.right_mask;
        for key in &self.feistel_keys[..FEISTEL_ROUNDS] {
            let next_right = left ^ self.feistel_round(right, *key);
            left = right;
            right = next_right;
        }
        (left << self.half_bits) | right
    }

    /// The expander parents of `node`: edge `8·node + i` shuffled by the Feistel permutation.
    pub fn expander_parents(&self, node: u64) -> Result<[u64; EXPANSION_DEGREE], InputError> {
        const DEGREE: u64 = EXPANSION_DEGREE as u64;
        let domain = self.nodes.saturating_mul(DEGREE);
        let mut parents = [0u64; EXPANSION_DEGREE];
        for (edge, parent) in (node.saturating_mul(DEGREE)..).zip(parents.iter_mut()) {
            let mut walked = self.feistel_encode(edge);
            let mut steps = 0usize;
            while walked >= domain {
                steps = steps.saturating_add(1);
                if steps > MAX_CYCLE_WALK {
                    return Err(InputError::PermutationDiverged);
                }
                walked = self.feistel_encode(walked);
            }
            *parent = walked / DEGREE;
        }
        Ok(parents)
    }
}

/// The public inputs of a PoRep proof for `seal` (one partition).
pub fn public_inputs(seal: &SealVerifyInfo) -> Result<Vec<PublicInput>, InputError> {
    let proof_type = seal.seal_proof;
    let porep_id = proof_type.porep_id();
    let graph = StackedGraph::new(&porep_id, proof_type.sector_size())?;
    let replica = replica_id(&seal.prover_id, u64::from(seal.sector_number), &seal.ticket, &seal.comm_d, &porep_id);
    let per_partition = proof_type.challenges_per_partition();
    let mut inputs = Vec::with_capacity(per_partition.saturating_mul(18).saturating_add(3));
    inputs.extend([PublicInput::Full(replica), PublicInput::Full(seal.comm_d), PublicInput::Full(seal.comm_r)]);
    let per_partition = u32::try_from(per_partition).unwrap_or(u32::MAX);
    for challenge in challenges(&replica, &seal.seed, graph.nodes(), 0, per_partition) {
        inputs.push(PublicInput::Small(challenge));
        inputs.extend(graph.drg_parents(challenge).map(PublicInput::Small));
        inputs.extend(graph.expander_parents(challenge)?.map(PublicInput::Small));
        inputs.extend([PublicInput::Small(challenge); 3]);
    }
    Ok(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feistel_splits_the_2kib_expander_domain_in_5_bit_halves() {
        let graph = StackedGraph::new(&[0u8; 32], 2048).unwrap();
        assert_eq!(graph.nodes(), 64);
        assert_eq!(graph.half_bits, 5);
        assert_eq!(graph.right_mask, 31);
    }

    #[test]
    fn challenges_are_nonzero_nodes() {
        for j in 0..20u8 {
            for c in challenges(&[j; 32], &[7; 32], 64, 0, 2) {
                assert!((1..64).contains(&c));
            }
        }
    }

    #[test]
    fn parents_precede_their_node_and_stay_in_the_layer() {
        let graph = StackedGraph::new(&[0u8; 32], 2048).unwrap();
        assert_eq!(graph.drg_parents(0), [0; 6]);
        assert_eq!(graph.drg_parents(1), [0; 6]);
        for node in 2..64 {
            let parents = graph.drg_parents(node);
            assert_eq!(parents[0], node - 1);
            assert!(parents.iter().all(|p| *p < node), "node {node}: {parents:?}");
            assert!(graph.expander_parents(node).unwrap().iter().all(|p| *p < 64));
        }
    }

    #[test]
    fn le_reduction_matches_wide_arithmetic() {
        let mut bytes = [0u8; 32];
        bytes[0] = 200;
        bytes[1] = 1;
        assert_eq!(le_bytes_mod(&bytes, 63), 456 % 63);
        bytes[16] = 1; // + 2^128
        let expected = (456u128 + (1u128 << 127) % 63 * 2) % 63;
        assert_eq!(u128::from(le_bytes_mod(&bytes, 63)), expected);
    }
}
