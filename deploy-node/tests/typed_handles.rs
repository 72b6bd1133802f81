//! The typed handles of `polka-storage-chain-api` on the node backend: the same handle code the
//! sandbox runs, here against substrate-contracts-node (NODE_URL, default ws://127.0.0.1:9944).

use polka_storage_chain_api::{Backend, MarketHandle, VerifierHandle};
use polka_storage_deploy_node::backend::BlockingNode;
use polka_storage_primitives::market::BalanceAdded;
use polka_storage_primitives::policy::MarketPolicy;
use polka_storage_primitives::proofs::VerifyingKeyChanged;
use polka_storage_primitives::sector::ProofType;
use polka_storage_proofs::vectors::Vectors;
use scale::Encode;

fn url() -> String {
    std::env::var("NODE_URL").unwrap_or_else(|_| "ws://127.0.0.1:9944".into())
}

#[test]
fn typed_handles_drive_the_verifier_and_the_market_on_the_node() -> Result<(), Box<dyn std::error::Error>> {
    let mut node = BlockingNode::connect(&url(), &[])?;
    let alice = node.add_signer("//Alice")?;
    let bob = node.add_signer("//Bob")?;
    let before = node.block_number()?;

    let verifier = VerifierHandle::<BlockingNode>::new(node.instantiate(&alice, "proof_verifier", "new", &[], 0)?);
    let vectors = Vectors::load()?;
    let seal_type = ProofType::Seal(vectors.seal.seal_proof);
    let (answer, outcome) = verifier.set_verifying_key(&mut node, &alice, seal_type, &vectors.porep_key)?;
    assert_eq!(answer, Ok(()));
    let address = node.address(&verifier.contract);
    assert_eq!(outcome.events_of::<VerifyingKeyChanged>(&address)?.len(), 1);
    assert_eq!(verifier.verifying_key(&mut node, &bob, seal_type)?, Some(vectors.porep_key.clone()));
    let (verdict, gas) = verifier.verify_porep(&mut node, &bob, &vectors.seal)?;
    assert_eq!(verdict, Ok(()));
    assert!(gas.ref_time > 0);

    let domain = [9u8; 32];
    let args = (Option::<[u8; 32]>::None, MarketPolicy::FAST, domain).encode();
    let market = MarketHandle::<BlockingNode>::new(node.instantiate(&alice, "market", "with_policy", &args, 0)?);
    assert_eq!(market.domain(&mut node, &bob)?, domain);
    let free_before = market.balance(&mut node, &bob)?.free;
    let (answer, outcome) = market.add_balance(&mut node, &bob, 5_000)?;
    assert_eq!(answer, Ok(()));
    assert_eq!(outcome.events_of::<BalanceAdded>(&node.address(&market.contract))?.len(), 1);
    assert_eq!(market.balance(&mut node, &bob)?.free, free_before + 5_000);
    // No deals: refused, and a refused call is not sent.
    let (answer, outcome) = market.publish_storage_deals(&mut node, &bob, &[])?;
    assert!(answer.is_err());
    assert!(outcome.reverted);

    assert_eq!(node.advance_blocks(2)?, node.block_number()?);
    assert!(node.block_number()? >= before + 6);
    Ok(())
}
