//! Calls between the contracts of the suite.
//!
//! Peers are stored as `AccountId`s and called through the traits of this crate with
//! `contract_ref!(Trait)`. A call that fails below the callee's own `Result` (the callee trapped,
//! does not exist, or answered in another format) becomes [`CallError`] instead of trapping the
//! caller, so every message can still answer with a named error.

/// Why a call to a peer contract produced no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum CallError {
    /// The peer trapped (ran out of gas, panicked) or is not a contract.
    CalleeTrapped,
    /// The peer answered with bytes that do not decode as the expected answer.
    UnexpectedAnswer,
    /// The peer does not know the message (it is another kind of contract).
    UnknownMessage,
}

/// Turns the outcome of `try_invoke()` into the callee's answer, or a [`CallError`].
pub fn answer<R>(outcome: Result<ink::MessageResult<R>, ink::env::Error>) -> Result<R, CallError> {
    match outcome {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(_lang_error)) => Err(CallError::UnknownMessage),
        Err(ink::env::Error::Decode(_)) => Err(CallError::UnexpectedAnswer),
        Err(_) => Err(CallError::CalleeTrapped),
    }
}
